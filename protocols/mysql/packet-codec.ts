import { MAX_PACKET_PAYLOAD } from './mysql-constants.js';

/**
 * MySQL packet framing: 3-byte little-endian payload length + 1-byte sequence id + payload. A payload of
 * exactly 0xFFFFFF bytes continues in the next packet. Incoming bytes are assembled into whole logical
 * packets; a declared size above `maxPacketSize` is a protocol error (the connection is closed).
 */

export interface Packet {
  readonly sequenceId: number;
  readonly payload: Buffer;
}

export class PacketTooLargeError extends Error {
  constructor(readonly size: number, readonly limit: number) {
    super(`Got a packet bigger than 'max_allowed_packet' bytes (${size} > ${limit})`);
  }
}

/** Splits a byte stream into logical packets. */
export class PacketFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private parts: Buffer[] = [];
  private partsSize = 0;

  constructor(private readonly maxPacketSize: number) {}

  /** Feeds bytes; returns the logical packets completed by them. Throws PacketTooLargeError. */
  push(data: Buffer): Packet[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const out: Packet[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const len = head[0]! | (head[1]! << 8) | (head[2]! << 16);
      const seq = head[3]!;
      if (this.partsSize + len > this.maxPacketSize) throw new PacketTooLargeError(this.partsSize + len, this.maxPacketSize);
      if (this.buffered < 4 + len) break;
      this.take(4);
      const body = this.take(len);
      if (len === MAX_PACKET_PAYLOAD) {
        this.parts.push(body);
        this.partsSize += len;
        continue;
      }
      let payload = body;
      if (this.parts.length) {
        this.parts.push(body);
        payload = Buffer.concat(this.parts);
        this.parts = [];
        this.partsSize = 0;
      }
      out.push({ sequenceId: seq, payload });
    }
    return out;
  }

  /** Bytes of an unfinished packet, waiting for the rest. */
  get pending(): number {
    return this.buffered + this.partsSize;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.buffered -= n;
    return out;
  }
}

/** Thrown when a payload ends before a field it must contain. */
export class MalformedPacketError extends Error {
  constructor(field: string) {
    super(`Malformed communication packet: ${field} is truncated`);
  }
}

/** Reads the fields of one payload; every read names the field so a short payload says what broke. */
export class PayloadReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new MalformedPacketError(field);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u24(field: string): number {
    this.need(3, field);
    const v = this.buf.readUIntLE(this.pos, 3);
    this.pos += 3;
    return v;
  }
  u32(field: string): number {
    this.need(4, field);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i8(field: string): number {
    this.need(1, field);
    return this.buf.readInt8(this.pos++);
  }
  i16(field: string): number {
    this.need(2, field);
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  i32(field: string): number {
    this.need(4, field);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i64(field: string): bigint {
    this.need(8, field);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  u64(field: string): bigint {
    this.need(8, field);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  f32(field: string): number {
    this.need(4, field);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(field: string): number {
    this.need(8, field);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number, field: string): Buffer {
    this.need(n, field);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** Length-encoded integer; null for the 0xFB NULL marker. */
  lenencInt(field: string): number | null {
    const first = this.u8(field);
    if (first < 0xfb) return first;
    if (first === 0xfb) return null;
    if (first === 0xfc) return this.u16(field);
    if (first === 0xfd) return this.u24(field);
    if (first === 0xfe) {
      const v = this.u64(field);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedPacketError(field);
      return Number(v);
    }
    throw new MalformedPacketError(field);
  }
  lenencBytes(field: string): Buffer {
    const n = this.lenencInt(field);
    return this.bytes(n ?? 0, field);
  }
  lenencString(field: string): string {
    return this.lenencBytes(field).toString('utf8');
  }
  /** A NUL-terminated string; at the end of the payload the terminator may be missing (old clients). */
  nulString(field: string): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) {
      const s = this.buf.toString('utf8', this.pos);
      this.pos = this.buf.length;
      return s;
    }
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }
  restString(): string {
    const s = this.buf.toString('utf8', this.pos);
    this.pos = this.buf.length;
    return s;
  }
  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }
}

/**
 * Builds one or more packets into a single growable buffer, so a block of rows goes to the socket in one
 * write. `begin()` starts a packet with the next sequence id, `end()` fills in its header (splitting
 * payloads of 16 MiB and more).
 */
export class PacketWriter {
  private buf: Buffer;
  private len = 0;
  private start = -1;

  constructor(
    private readonly sequence: { next(): number },
    capacity = 16384,
  ) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  begin(): this {
    this.ensure(4);
    this.start = this.len;
    this.len += 4;
    return this;
  }

  end(): this {
    const payloadLen = this.len - this.start - 4;
    if (payloadLen < MAX_PACKET_PAYLOAD) {
      this.buf.writeUIntLE(payloadLen, this.start, 3);
      this.buf[this.start + 3] = this.sequence.next() & 0xff;
    } else {
      // Re-frame: chunks of 0xFFFFFF bytes, then a final (possibly empty) shorter one.
      const payload = Buffer.from(this.buf.subarray(this.start + 4, this.len));
      this.len = this.start;
      let off = 0;
      for (;;) {
        const n = Math.min(MAX_PACKET_PAYLOAD, payload.length - off);
        this.ensure(4 + n);
        this.buf.writeUIntLE(n, this.len, 3);
        this.buf[this.len + 3] = this.sequence.next() & 0xff;
        payload.copy(this.buf, this.len + 4, off, off + n);
        this.len += 4 + n;
        off += n;
        if (n < MAX_PACKET_PAYLOAD) break;
      }
    }
    this.start = -1;
    return this;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16LE(v & 0xffff, this.len);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  i64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, v), this.len);
    this.len += 8;
    return this;
  }
  u64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.len);
    this.len += 8;
    return this;
  }
  /** A 64-bit integer from a JS number (exact up to 2^53). */
  int64FromNumber(v: number): this {
    return this.i64(BigInt(Math.trunc(v)));
  }
  i8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.len++);
    return this;
  }
  i16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16LE(v, this.len);
    this.len += 2;
    return this;
  }
  i32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.len);
    this.len += 4;
    return this;
  }
  f32(v: number): this {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.len);
    this.len += 4;
    return this;
  }
  f64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }
  lenencInt(v: number): this {
    if (v < 0xfb) return this.u8(v);
    if (v <= 0xffff) return this.u8(0xfc).u16(v);
    if (v <= 0xffffff) {
      this.ensure(4);
      this.buf[this.len] = 0xfd;
      this.buf.writeUIntLE(v, this.len + 1, 3);
      this.len += 4;
      return this;
    }
    return this.u8(0xfe).int64FromNumber(v);
  }
  lenencBytes(b: Uint8Array): this {
    return this.lenencInt(b.length).bytes(b);
  }
  /** A length-encoded string; ASCII is written without an intermediate buffer. */
  lenencString(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    this.lenencInt(n);
    this.ensure(n);
    this.len += this.buf.write(s, this.len, n, 'utf8');
    return this;
  }
  nulString(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    this.ensure(n + 1);
    this.len += this.buf.write(s, this.len, n, 'utf8');
    this.buf[this.len++] = 0;
    return this;
  }
  /** A string filling the rest of the payload (no length, no terminator). */
  restString(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    this.ensure(n);
    this.len += this.buf.write(s, this.len, n, 'utf8');
    return this;
  }
  /** A NULL marker (0xFB) in a text row. */
  nullValue(): this {
    return this.u8(0xfb);
  }

  /** The packets built so far; the writer starts over with a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.len);
    this.buf = Buffer.allocUnsafe(Math.min(Math.max(16384, this.len), 1 << 20));
    this.len = 0;
    return out;
  }
}
