// A FIFO of received chunks (socket / HTTP body pieces) that frame readers consume from
// without re-concatenating on every push: bytes are copied only when a requested range
// straddles chunks. Chunks stay referenced until consumed, so callers must not reuse them.

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private first = 0; // index of the first live chunk
  private head = 0; // bytes already consumed from chunks[first]
  private size = 0;

  /** Unconsumed bytes. */
  get length(): number {
    return this.size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The byte at logical position k (k < length). */
  byteAt(k: number): number {
    k += this.head;
    for (let i = this.first; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (k < c.length) return c[k];
      k -= c.length;
    }
    throw new RangeError('ByteQueue.byteAt past the end');
  }

  /** Little-endian u32 at logical position k (k + 4 <= length). */
  u32At(k: number): number {
    return (this.byteAt(k) | (this.byteAt(k + 1) << 8) | (this.byteAt(k + 2) << 16) | (this.byteAt(k + 3) << 24)) >>> 0;
  }

  /**
   * Removes and returns the next n bytes: a view into a pushed chunk when they lie in one,
   * otherwise a fresh copy.
   */
  take(n: number): Uint8Array {
    if (n > this.size) throw new RangeError(`ByteQueue.take(${n}) with ${this.size} bytes buffered`);
    if (n === 0) return new Uint8Array(0);
    const c = this.chunks[this.first];
    if (this.head + n <= c.length) {
      const view = c.subarray(this.head, this.head + n);
      this.consume(n);
      return view;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const cur = this.chunks[this.first];
      const m = Math.min(n - filled, cur.length - this.head);
      out.set(cur.subarray(this.head, this.head + m), filled);
      filled += m;
      this.consume(m);
    }
    return out;
  }

  /** Drops the next n bytes. */
  skip(n: number): void {
    if (n > this.size) throw new RangeError(`ByteQueue.skip(${n}) with ${this.size} bytes buffered`);
    while (n > 0) {
      const m = Math.min(n, this.chunks[this.first].length - this.head);
      this.consume(m);
      n -= m;
    }
  }

  /** Removes and returns everything buffered (e.g. bytes after the last compressed frame). */
  takeAll(): Uint8Array {
    return this.take(this.size);
  }

  private consume(n: number): void {
    this.head += n;
    this.size -= n;
    if (this.head === this.chunks[this.first].length) {
      this.first++;
      this.head = 0;
      // Compact now and then so the array does not grow without bound.
      if (this.first >= 64 || this.first === this.chunks.length) {
        this.chunks = this.chunks.slice(this.first);
        this.first = 0;
      }
    }
  }
}
