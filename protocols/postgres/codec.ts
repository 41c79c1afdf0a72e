/**
 * Framing of the Postgres v3 protocol: the startup packet (length-prefixed, no type byte) and then typed
 * messages (one type byte, Int32 length including itself, body). Lengths are checked against a maximum so a
 * garbage or hostile length closes the connection instead of buffering gigabytes.
 */

export const MAX_MESSAGE_SIZE = 256 * 1024 * 1024;
export const MAX_STARTUP_SIZE = 10_000;

export class ProtocolViolation extends Error {}

/** Accumulates socket chunks and cuts them into messages. */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  private peekBytes(n: number): Buffer | undefined {
    if (this.size < n) return undefined;
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const head = this.peekBytes(n)!;
    const out = Buffer.from(head);
    const first = this.chunks[0]!;
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.size -= n;
    return out;
  }

  /** The startup-phase packet body (after the length), or undefined when incomplete. */
  nextStartup(): Buffer | undefined {
    const head = this.peekBytes(4);
    if (!head) return undefined;
    const len = head.readInt32BE(0);
    if (len < 8 || len > MAX_STARTUP_SIZE) throw new ProtocolViolation(`invalid length of startup packet: ${len}`);
    if (this.size < len) return undefined;
    return this.take(len).subarray(4);
  }

  /** The next typed message, or undefined when incomplete. */
  next(): { type: number; body: Buffer } | undefined {
    const head = this.peekBytes(5);
    if (!head) return undefined;
    const type = head[0]!;
    const len = head.readInt32BE(1);
    if (len < 4 || len > MAX_MESSAGE_SIZE) throw new ProtocolViolation(`invalid message length ${len} for message type '${String.fromCharCode(type)}'`);
    if (this.size < len + 1) return undefined;
    const msg = this.take(len + 1);
    return { type, body: msg.subarray(5) };
  }
}

/** Reads fields from one message body; running off the end is a protocol violation. */
export class BodyReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  private need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtocolViolation(`message too short reading ${what}`);
  }
  int16(what = 'Int16'): number {
    this.need(2, what);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(what = 'Int32'): number {
    this.need(4, what);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  byte(what = 'Byte'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  cstring(what = 'string'): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new ProtocolViolation(`unterminated ${what}`);
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }
  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }
}

/** Builds one backend message: type byte, length, body. */
export class MessageWriter {
  private parts: Buffer[] = [];
  private len = 0;
  constructor(private readonly type: number) {}

  int16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(v);
    return this.raw(b);
  }
  int32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v | 0);
    return this.raw(b);
  }
  byte(v: number): this {
    return this.raw(Buffer.from([v]));
  }
  cstring(s: string): this {
    return this.raw(Buffer.from(s + '\0', 'utf8'));
  }
  raw(b: Buffer | Uint8Array): this {
    const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    this.parts.push(buf);
    this.len += buf.length;
    return this;
  }
  done(): Buffer {
    const head = Buffer.allocUnsafe(5);
    head[0] = this.type;
    head.writeInt32BE(this.len + 4, 1);
    return Buffer.concat([head, ...this.parts], this.len + 5);
  }
}

export function msg(type: string): MessageWriter {
  return new MessageWriter(type.charCodeAt(0));
}
