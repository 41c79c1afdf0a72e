import type { Readable } from 'node:stream';

/**
 * Reads a request body chunk by chunk. Unlike a Readable's own async iterator, stopping early does not
 * destroy the request (and with it the connection, before the response could be sent): `close()` detaches
 * and lets the rest of the body drain, so the connection stays usable, as ClickHouse's drainRequestIfNeeded.
 */
export class RequestBodyReader implements AsyncIterableIterator<Uint8Array> {
  private waiting: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;
  private closed = false;

  constructor(private readonly stream: Readable) {
    stream.on('readable', this.onReadable);
    stream.on('end', this.onEnd);
    stream.on('error', this.onError);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    const chunk = this.stream.read() as Uint8Array | null;
    if (chunk !== null) return Promise.resolve({ value: chunk, done: false });
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops reading; whatever is left of the body is read and discarded. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const s = this.stream;
    s.off('readable', this.onReadable);
    s.off('end', this.onEnd);
    s.off('error', this.onError);
    s.on('error', () => undefined);
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve({ value: undefined, done: true });
    if (!s.readableEnded && !s.destroyed) s.resume();
  }

  private readonly onReadable = (): void => {
    const w = this.waiting;
    if (w === undefined) return;
    const chunk = this.stream.read() as Uint8Array | null;
    if (chunk === null) return;
    this.waiting = undefined;
    w.resolve({ value: chunk, done: false });
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve({ value: undefined, done: true });
  };

  private readonly onError = (e: unknown): void => {
    this.failure = e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  };
}
