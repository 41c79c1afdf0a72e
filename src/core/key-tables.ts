/**
 * Hash tables from group keys to dense group ids, over typed arrays (no per-row objects): one for numbers,
 * one for byte strings. Open addressing with linear probing; capacity is a power of two, load ≤ 0.5.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function hashNumber(x: number): number {
  if ((x | 0) === x) return Math.imul(x, 0x9e3779b1) ^ (x >>> 15);
  f64[0] = x;
  return Math.imul(u32[0]! ^ Math.imul(u32[1]!, 0x85ebca6b), 0x9e3779b1);
}

export class NumberKeyTable {
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;
  /** Group id of NaN keys (NaN != NaN), -1 until one is seen. */
  private nanId = -1;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keys = new Float64Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** Returns the key's group id, assigning `this.size` to a new key (the caller then records the new group). */
  findOrInsert(key: number): number {
    if (key !== key) {
      if (this.nanId < 0) this.nanId = this.size++;
      return this.nanId;
    }
    let i = hashNumber(key) & this.mask;
    const keys = this.keys;
    const ids = this.ids;
    for (;;) {
      const id = ids[i]!;
      if (id < 0) {
        keys[i] = key;
        ids[i] = this.size;
        if (++this.size * 2 > ids.length) this.grow();
        return this.size - 1;
      }
      if (keys[i] === key) return id;
      i = (i + 1) & this.mask;
    }
  }

  /** Every key inserted so far (NaN included once if seen). */
  keyList(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.ids.length; i++) if (this.ids[i]! >= 0) out.push(this.keys[i]!);
    if (this.nanId >= 0) out.push(NaN);
    return out;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldIds = this.ids;
    const cap = oldIds.length * 2;
    this.keys = new Float64Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < oldIds.length; j++) {
      const id = oldIds[j]!;
      if (id < 0) continue;
      let i = hashNumber(oldKeys[j]!) & this.mask;
      while (this.ids[i]! >= 0) i = (i + 1) & this.mask;
      this.keys[i] = oldKeys[j]!;
      this.ids[i] = id;
    }
  }
}

function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s);
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const w = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    h = Math.imul(h ^ w, 0x01000193);
    h ^= h >>> 13;
  }
  for (; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/** Keys are copied into an arena; group id g's bytes are arena[offsets[g] .. offsets[g+1]). */
export class BytesKeyTable {
  private ids: Int32Array;
  private hashes: Int32Array;
  private mask: number;
  arena: Uint8Array = new Uint8Array(65536);
  offsets: Uint32Array = new Uint32Array(1025);
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.ids = new Int32Array(cap).fill(-1);
    this.hashes = new Int32Array(cap);
    this.mask = cap - 1;
  }

  findOrInsert(bytes: Uint8Array, s: number, e: number): number {
    const h = hashBytes(bytes, s, e);
    let i = h & this.mask;
    const len = e - s;
    for (;;) {
      const id = this.ids[i]!;
      if (id < 0) return this.insertAt(i, h, bytes, s, e);
      if (this.hashes[i] === h) {
        const ks = this.offsets[id]!;
        if (this.offsets[id + 1]! - ks === len) {
          let eq = true;
          const arena = this.arena;
          for (let j = 0; j < len; j++) {
            if (arena[ks + j] !== bytes[s + j]) {
              eq = false;
              break;
            }
          }
          if (eq) return id;
        }
      }
      i = (i + 1) & this.mask;
    }
  }

  private insertAt(slot: number, h: number, bytes: Uint8Array, s: number, e: number): number {
    const id = this.size++;
    if (id + 2 > this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    const at = this.offsets[id]!;
    const need = at + (e - s);
    if (need > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena.subarray(0, at));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(s, e), at);
    this.offsets[id + 1] = need;
    this.ids[slot] = id;
    this.hashes[slot] = h;
    if (this.size * 2 > this.ids.length) this.grow();
    return id;
  }

  private grow(): void {
    const oldIds = this.ids;
    const oldHashes = this.hashes;
    const cap = oldIds.length * 2;
    this.ids = new Int32Array(cap).fill(-1);
    this.hashes = new Int32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldIds.length; j++) {
      const id = oldIds[j]!;
      if (id < 0) continue;
      let i = oldHashes[j]! & this.mask;
      while (this.ids[i]! >= 0) i = (i + 1) & this.mask;
      this.ids[i] = id;
      this.hashes[i] = oldHashes[j]!;
    }
  }
}
