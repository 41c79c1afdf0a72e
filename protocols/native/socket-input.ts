import type { Socket } from 'node:net';
import { DbError } from '../../src/errors/index.js';
import { BinaryReader, NeedMoreData } from '../../src/types/serializations/buffer.js';

/** Thrown by SocketInput when the peer closed the connection (or it was destroyed) before the bytes arrived. */
export class ConnectionClosed extends Error {
  constructor() {
    super('connection closed');
  }
}

/**
 * The bytes a connection has received and not yet consumed, in one growable buffer, with absolute
 * positions that stay valid until `consume`. Readers ask for "at least N bytes" and await them; the socket
 * is paused while nobody needs more, so a client that sends faster than we decode is held back by TCP
 * rather than by our memory.
 */
export class SocketInput {
  private buf = new Uint8Array(64 * 1024);
  /** Bytes [start, end) of `buf` are received and unconsumed. */
  private start = 0;
  private end = 0;
  private closed = false;
  private error: Error | undefined;
  private waiter: { need: number; resolve: () => void; reject: (e: Error) => void } | undefined;
  /** Called whenever bytes arrive while no reader waits for them (Cancel watching during a query). */
  onIdleData: (() => void) | undefined;

  constructor(
    private readonly socket: Socket,
    /** Most bytes one packet may occupy before the connection is refused. */
    private readonly maxBuffered: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.push(chunk));
    socket.on('end', () => this.close());
    socket.on('close', () => this.close());
    socket.on('error', (e) => this.close(e));
  }

  /** Unconsumed bytes. */
  get available(): number {
    return this.end - this.start;
  }

  /** The unconsumed bytes as a view (valid until the next push or consume). */
  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** The first unconsumed byte, or -1. */
  peek(): number {
    return this.start < this.end ? this.buf[this.start]! : -1;
  }

  consume(n: number): void {
    this.start += n;
    if (this.start === this.end) {
      this.start = this.end = 0;
      // A big INSERT block needed a big buffer; do not keep it for the rest of the connection.
      if (this.buf.length > 4 << 20) this.buf = new Uint8Array(64 * 1024);
    }
  }

  /** Resolves once at least `n` unconsumed bytes are buffered. */
  async ensure(n: number): Promise<void> {
    if (this.available >= n) return;
    if (n > this.maxBuffered) {
      throw new DbError('TOO_LARGE_STRING_SIZE', `A packet of at least ${n} bytes exceeds the limit of ${this.maxBuffered} bytes`);
    }
    if (this.closed) throw this.error ?? new ConnectionClosed();
    await new Promise<void>((resolve, reject) => {
      this.waiter = { need: n, resolve, reject };
      this.socket.resume();
    });
  }

  /**
   * Parses one value with a synchronous reader over the buffered bytes, waiting for more whenever the reader
   * runs out; consumes the bytes it read. For small packets (Hello, Query, Ping): a retry re-parses them.
   */
  async parse<T>(read: (r: BinaryReader) => T): Promise<T> {
    for (;;) {
      const r = new BinaryReader(this.buf, this.start, this.end);
      r.partial = true;
      try {
        const value = read(r);
        this.consume(r.pos - this.start);
        return value;
      } catch (e) {
        if (!(e instanceof NeedMoreData)) throw e;
        await this.ensure(e.needed - this.start);
      }
    }
  }

  /** Takes exactly `n` bytes (a copy, safe to keep). */
  async take(n: number): Promise<Uint8Array> {
    await this.ensure(n);
    const out = this.buf.slice(this.start, this.start + n);
    this.consume(n);
    return out;
  }

  private push(chunk: Uint8Array): void {
    if (this.closed) return;
    const len = chunk.length;
    if (this.end + len > this.buf.length) this.makeRoom(len);
    this.buf.set(chunk, this.end);
    this.end += len;
    const w = this.waiter;
    if (w !== undefined) {
      if (this.available >= w.need) {
        this.waiter = undefined;
        w.resolve();
      }
    } else {
      // Nobody is reading: keep at most one large chunk buffered, then let TCP push back.
      if (this.available >= 1 << 20) this.socket.pause();
      this.onIdleData?.();
    }
  }

  private makeRoom(extra: number): void {
    const live = this.end - this.start;
    if (live + extra <= this.buf.length / 2) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      let cap = this.buf.length;
      while (cap < live + extra) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
    }
    this.start = 0;
    this.end = live;
  }

  private close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.error = error;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(error ?? new ConnectionClosed());
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
