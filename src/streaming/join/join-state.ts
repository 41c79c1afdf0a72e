import { Block, type Header } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { NothingColumn, NullableColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { concatColumns, materialize, takeColumn } from '../../columns/ops.js';
import { readValue } from '../../columns/values.js';
import { valueKey } from '../../analyzer/in-set.js';
import type { DataType } from '../../types/data-type.js';

/** A join key: a number for one numeric key, else a string. */
export type JoinKey = string | number;

/** Rows a segment may hold: refs pack (segment id, row) into one double. */
const ROW_BITS = 2 ** 22;

export function packRef(seg: number, row: number): number {
  return seg * ROW_BITS + row;
}
export function refSegment(ref: number): number {
  return Math.floor(ref / ROW_BITS);
}
export function refRow(ref: number): number {
  return ref % ROW_BITS;
}

/**
 * Key of every row of a block from its key columns (`undefined` for a row with a NULL key, which never matches).
 * One numeric key stays a number; anything else becomes a string (values normalised like IN sets, so Int32 1
 * and Int64 1 are the same key).
 */
export function rowKeys(cols: readonly Column[], types: readonly DataType[], rows: number): (JoinKey | undefined)[] {
  const out: (JoinKey | undefined)[] = new Array(rows);
  if (cols.length === 1) {
    const c = cols[0]!;
    if (c.kind === 'numeric' && !(c.data instanceof BigInt64Array) && !(c.data instanceof BigUint64Array)) {
      const d = c.data;
      for (let r = 0; r < rows; r++) out[r] = d[r] as number;
      return out;
    }
    if (c.kind === 'string') {
      for (let r = 0; r < rows; r++) out[r] = `s${c.stringAt(r)}`;
      return out;
    }
  }
  for (let r = 0; r < rows; r++) {
    let s: JoinKey | undefined = cols.length === 1 ? undefined : '';
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]!;
      if (c.kind === 'nullable' && c.nulls[r]) {
        s = undefined;
        break;
      }
      const k = valueKey(readValue(types[j]!, c, r));
      if (cols.length === 1) s = k;
      else s += String(k) + '\u0002';
    }
    if (cols.length === 1 && s === undefined) {
      out[r] = undefined;
      continue;
    }
    out[r] = s;
  }
  return out;
}

/** Rows of one input block kept in the state (all its columns, materialized), with per-row liveness. */
export interface Segment {
  readonly id: number;
  readonly block: Block;
  readonly keys: (JoinKey | undefined)[];
  /** Range joins: event time of each row (the range column, in its own unit). */
  readonly times?: Float64Array;
  /** ASOF joins: the ASOF column of each row as a double. */
  readonly asof?: Float64Array;
  readonly alive: Uint8Array;
  live: number;
  readonly bucket: number;
}

/** Rows of one time bucket (range joins) or of the whole state: a hash index key → refs, in arrival order. */
export interface Bucket {
  readonly start: number;
  readonly index: Map<JoinKey, number[]>;
  readonly segments: Set<number>;
  rows: number;
}

export type KeepPolicy = { kind: 'all' } | { kind: 'latest' } | { kind: 'versions'; n: number };

/**
 * One side's join state, columnar: the blocks rows arrived in (segments), a hash index per time bucket from key
 * to row refs, and a liveness bitmap per segment. Retractions and superseded versions clear their rows; a
 * segment goes once none of its rows is live, and a bucket goes as a whole when the watermark passes it.
 * Sparse segments are compacted so memory follows the live rows.
 */
export class SideState {
  readonly segments = new Map<number, Segment>();
  readonly buckets = new Map<number, Bucket>();
  private nextSeg = 0;
  /** The segment being filled: it stays even while none of its rows is live yet. */
  private filling = -1;
  liveRows = 0;
  storedRows = 0;

  constructor(
    readonly header: Header,
    readonly keep: KeepPolicy,
    /** Columns compared to match a retraction with the row it retracts (the primary key, or the data columns). */
    readonly compareColumns: readonly number[],
  ) {}

  bucket(start: number): Bucket {
    let b = this.buckets.get(start);
    if (!b) {
      b = { start, index: new Map(), segments: new Set(), rows: 0 };
      this.buckets.set(start, b);
    }
    return b;
  }

  /** Adds the chosen rows of a block (all when `rows` is undefined) to bucket `bucketStart`. */
  add(block: Block, keys: (JoinKey | undefined)[], rows: Int32Array | undefined, bucketStart: number, times?: Float64Array, asof?: Float64Array): void {
    let seg: Segment;
    const id = this.nextSeg++;
    if (rows && rows.length !== block.rows) {
      const b = new Block(block.header, block.columns.map((c) => takeColumn(c, rows)), rows.length);
      seg = {
        id,
        block: b,
        keys: Array.from(rows, (r) => keys[r]),
        times: times ? Float64Array.from(rows, (r) => times[r]!) : undefined,
        asof: asof ? Float64Array.from(rows, (r) => asof[r]!) : undefined,
        alive: new Uint8Array(rows.length),
        live: 0,
        bucket: bucketStart,
      };
    } else {
      seg = { id, block: block.materialized(), keys, times, asof, alive: new Uint8Array(block.rows), live: 0, bucket: bucketStart };
    }
    if (!seg.block.rows) return;
    this.segments.set(id, seg);
    const bucket = this.bucket(bucketStart);
    bucket.segments.add(id);
    this.storedRows += seg.block.rows;
    this.filling = id;
    for (let r = 0; r < seg.block.rows; r++) {
      const k = seg.keys[r];
      if (k === undefined) continue;
      this.insertRef(bucket, k, packRef(id, r), seg, r);
    }
    this.filling = -1;
    if (!seg.live) this.dropSegment(seg);
    this.maybeCompact();
  }

  private insertRef(bucket: Bucket, k: JoinKey, ref: number, seg: Segment, r: number): void {
    let list = bucket.index.get(k);
    if (!list) {
      list = [];
      bucket.index.set(k, list);
    }
    const keep = this.keep;
    if (keep.kind === 'latest') {
      for (const old of list) this.kill(old);
      list.length = 0;
    }
    list.push(ref);
    seg.alive[r] = 1;
    seg.live++;
    this.liveRows++;
    bucket.rows++;
    if (keep.kind === 'versions') {
      while (list.length > keep.n) this.kill(list.shift()!);
    }
  }

  private kill(ref: number): void {
    const seg = this.segments.get(refSegment(ref));
    if (!seg) return;
    const r = refRow(ref);
    if (!seg.alive[r]) return;
    seg.alive[r] = 0;
    seg.live--;
    this.liveRows--;
    const b = this.buckets.get(seg.bucket);
    if (b) b.rows--;
    if (!seg.live && seg.id !== this.filling) this.dropSegment(seg);
  }

  private dropSegment(seg: Segment): void {
    this.segments.delete(seg.id);
    this.storedRows -= seg.block.rows;
    this.buckets.get(seg.bucket)?.segments.delete(seg.id);
  }

  /**
   * Retracts the live row equal to row `r` of `block` (its key `k`): returns whether one was found. The most
   * recent equal row goes first.
   */
  retract(block: Block, r: number, k: JoinKey): boolean {
    for (const bucket of this.buckets.values()) {
      const list = bucket.index.get(k);
      if (!list) continue;
      for (let i = list.length - 1; i >= 0; i--) {
        const ref = list[i]!;
        const seg = this.segments.get(refSegment(ref));
        if (!seg || !seg.alive[refRow(ref)]) continue;
        if (!this.sameRow(seg.block, refRow(ref), block, r)) continue;
        list.splice(i, 1);
        if (!list.length) bucket.index.delete(k);
        this.kill(ref);
        return true;
      }
    }
    return false;
  }

  private sameRow(a: Block, ra: number, b: Block, rb: number): boolean {
    for (const c of this.compareColumns) {
      const ca = a.columns[c]!;
      const cb = b.columns[c]!;
      if (ca.kind === 'nothing' || cb.kind === 'nothing') continue;
      const t = this.header[c]!.type;
      if (valueKey(readValue(t, ca, ra)) !== valueKey(readValue(t, cb, rb))) return false;
    }
    return true;
  }

  /** Live refs of key `k` in the given bucket (or all buckets). */
  lookup(k: JoinKey, bucket: Bucket): readonly number[] | undefined {
    return bucket.index.get(k);
  }

  isAlive(ref: number): boolean {
    const seg = this.segments.get(refSegment(ref));
    return !!seg && seg.alive[refRow(ref)] === 1;
  }

  segment(ref: number): Segment {
    return this.segments.get(refSegment(ref))!;
  }

  /** Drops every bucket whose start is <= `limit` (range joins, as the watermark passes). */
  removeBucketsUpTo(limit: number): number {
    let removed = 0;
    for (const [start, b] of this.buckets) {
      if (start > limit) continue;
      for (const id of b.segments) {
        const seg = this.segments.get(id);
        if (!seg) continue;
        this.segments.delete(id);
        this.storedRows -= seg.block.rows;
        this.liveRows -= seg.live;
        removed += seg.live;
      }
      this.buckets.delete(start);
    }
    return removed;
  }

  /**
   * Rewrites the live rows of sparse buckets into one segment each once dead rows outnumber live ones
   * (superseded versions, retractions), so memory stays proportional to the live state.
   */
  private maybeCompact(): void {
    const dead = this.storedRows - this.liveRows;
    if (dead < 4096 || dead < this.liveRows) return;
    for (const bucket of [...this.buckets.values()]) this.compactBucket(bucket);
  }

  private compactBucket(bucket: Bucket): void {
    const segs = [...bucket.segments].map((id) => this.segments.get(id)!).filter(Boolean);
    if (segs.length <= 1 && segs.every((s) => s.live === s.block.rows)) return;
    // New positions, in index order so each key's list keeps its order.
    const id = this.nextSeg++;
    const parts: { seg: Segment; rows: number[] }[] = segs.map((seg) => ({ seg, rows: [] }));
    const partOf = new Map<number, number>(segs.map((s, i) => [s.id, i]));
    const newIndex = new Map<JoinKey, number[]>();
    const pending: [JoinKey, number, number][] = []; // key, part, row-in-old-segment, in list order
    for (const [k, list] of bucket.index) {
      for (const ref of list) {
        const seg = this.segments.get(refSegment(ref));
        if (!seg || !seg.alive[refRow(ref)]) continue;
        const p = partOf.get(seg.id)!;
        pending.push([k, p, refRow(ref)]);
        parts[p]!.rows.push(refRow(ref));
      }
    }
    let offset = 0;
    const base: number[] = [];
    const posInPart = parts.map((p) => {
      base.push(offset);
      offset += p.rows.length;
      const m = new Map<number, number>();
      p.rows.forEach((r, i) => m.set(r, i));
      return m;
    });
    const total = offset;
    const withRows = parts.filter((p) => p.rows.length);
    if (!withRows.length) {
      for (const s of segs) this.dropSegment(s);
      bucket.index.clear();
      return;
    }
    const cols = this.header.map((_, c) => {
      const pieces = withRows.map((p) => takeColumn(p.seg.block.columns[c]!, Int32Array.from(p.rows)));
      return pieces.length === 1 ? pieces[0]! : concatColumns(pieces);
    });
    const block = new Block(this.header, cols, total);
    const keys: (JoinKey | undefined)[] = new Array(total);
    const hasTimes = segs.some((s) => s.times);
    const hasAsof = segs.some((s) => s.asof);
    const times = hasTimes ? new Float64Array(total) : undefined;
    const asof = hasAsof ? new Float64Array(total) : undefined;
    parts.forEach((p, pi) => {
      p.rows.forEach((r, i) => {
        const at = base[pi]! + i;
        keys[at] = p.seg.keys[r];
        if (times) times[at] = p.seg.times![r]!;
        if (asof) asof[at] = p.seg.asof![r]!;
      });
    });
    for (const [k, p, r] of pending) {
      const at = base[p]! + posInPart[p]!.get(r)!;
      let l = newIndex.get(k);
      if (!l) newIndex.set(k, (l = []));
      l.push(packRef(id, at));
    }
    for (const s of segs) {
      this.segments.delete(s.id);
      this.storedRows -= s.block.rows;
      this.liveRows -= s.live;
      bucket.segments.delete(s.id);
    }
    const seg: Segment = { id, block, keys, times, asof, alive: new Uint8Array(total).fill(1), live: total, bucket: bucket.start };
    this.segments.set(id, seg);
    this.storedRows += total;
    this.liveRows += total;
    bucket.segments.add(id);
    bucket.index.clear();
    for (const [k, l] of newIndex) bucket.index.set(k, l);
  }

  /** Every live row, one block per bucket (checkpoints). */
  liveBlocks(): { bucket: number; block: Block }[] {
    const out: { bucket: number; block: Block }[] = [];
    for (const bucket of this.buckets.values()) {
      const refs: number[] = [];
      for (const list of bucket.index.values()) for (const ref of list) if (this.isAlive(ref)) refs.push(ref);
      refs.sort((a, b) => a - b);
      if (!refs.length) continue;
      out.push({ bucket: bucket.start, block: gatherBlock(this, this.header, refs) });
    }
    return out;
  }
}

/** The rows `refs` of a side's state as one block, in `refs` order. */
export function gatherBlock(state: SideState, header: Header, refs: ArrayLike<number>): Block {
  const plan = planGather(state, refs);
  return new Block(
    header,
    header.map((c, i) => gatherColumn(plan, i, c.type, false)),
    refs.length,
  );
}

/** Where the rows `refs` (-1 = no row) are: per segment the rows to take, and the permutation back to `refs` order. */
export interface GatherPlan {
  readonly n: number;
  readonly segments: Segment[];
  readonly rows: Int32Array[];
  /** Position of each output row in the concatenation of the segments' taken rows (then one default row). */
  readonly perm: Int32Array;
  readonly missing: number;
}

export function planGather(state: SideState, refs: ArrayLike<number>): GatherPlan {
  const n = refs.length;
  const slotOf: number[] = [];
  const segments: Segment[] = [];
  const counts: number[] = [];
  const slots = new Int32Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const ref = refs[i]!;
    if (ref < 0) {
      slots[i] = -1;
      missing++;
      continue;
    }
    const id = refSegment(ref);
    let slot = slotOf[id];
    if (slot === undefined) {
      slot = segments.length;
      slotOf[id] = slot;
      segments.push(state.segments.get(id)!);
      counts.push(0);
    }
    slots[i] = slot;
    counts[slot]!++;
  }
  const rows = counts.map((c) => new Int32Array(c));
  const start = new Int32Array(segments.length);
  let at = 0;
  for (let j = 0; j < segments.length; j++) {
    start[j] = at;
    at += counts[j]!;
  }
  const fill = new Int32Array(segments.length);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const slot = slots[i]!;
    if (slot < 0) {
      perm[i] = at;
      continue;
    }
    const c = fill[slot]!++;
    rows[slot]![c] = refRow(refs[i]!);
    perm[i] = start[slot]! + c;
  }
  return { n, segments, rows, perm, missing };
}

/**
 * Column `col` of a gather plan's rows (no row: the type's default, or NULL when `wrapNullable`). Rows are
 * taken per segment, then put back in order.
 */
export function gatherColumn(plan: GatherPlan, col: number, outType: DataType, wrapNullable: boolean): Column {
  const { n, segments, rows, perm, missing } = plan;
  let nulls: Uint8Array | undefined;
  if (wrapNullable) {
    nulls = new Uint8Array(n);
    if (missing) for (let i = 0; i < n; i++) if (perm[i]! >= n - missing && isDefaultSlot(plan, perm[i]!)) nulls[i] = 1;
  }
  if (!missing && segments.length === 1) {
    const taken = takeColumn(materialize(segments[0]!.block.columns[col]!), rows[0]!);
    return nulls ? new NullableColumn(nulls, taken) : taken;
  }
  const pieces: Column[] = segments.map((seg, j) => takeColumn(materialize(seg.block.columns[col]!), rows[j]!));
  // A column the query does not read: live blocks have it as NothingColumn, rows restored from a checkpoint
  // as defaults. Nothing reads it, so neither needs to be gathered.
  if (pieces.some((p) => p.kind === 'nothing')) return new NothingColumn(n);
  if (missing || !pieces.length) {
    const innerType = wrapNullable && outType.kind === 'Nullable' ? outType.inner : outType;
    const b = createBuilder(innerType, 1);
    b.pushDefault();
    pieces.push(b.build());
  }
  const all = pieces.length === 1 ? pieces[0]! : concatColumns(pieces);
  const taken = takeColumn(all, perm);
  return nulls ? new NullableColumn(nulls, taken) : taken;
}

function isDefaultSlot(plan: GatherPlan, p: number): boolean {
  return p === plan.n - plan.missing;
}
