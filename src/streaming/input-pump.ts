import type { Block } from '../core/block.js';

export const TICK = Symbol('tick');

/**
 * Pulls an operator's input one block at a time while also waking on a timer, for operators that emit on
 * processing time (periodic emits, timeouts). The next block is requested only after the previous one has been
 * handled, so upstream state (the watermark clock) always matches the block being handled.
 */
export class InputPump {
  private readonly it: AsyncIterator<Block>;
  private pending: Promise<IteratorResult<Block>> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(source: AsyncIterable<Block>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** The next block, `undefined` at the end of input, or TICK when `waitMs` passes first. */
  async next(waitMs: number): Promise<Block | undefined | typeof TICK> {
    this.pending ??= this.it.next();
    if (!Number.isFinite(waitMs)) return this.take(await this.pending);
    const tick = new Promise<typeof TICK>((resolve) => {
      this.timer = setTimeout(() => resolve(TICK), Math.max(0, waitMs));
    });
    try {
      const r = await Promise.race([this.pending, tick]);
      return r === TICK ? TICK : this.take(r);
    } finally {
      clearTimeout(this.timer);
    }
  }

  private take(r: IteratorResult<Block>): Block | undefined {
    this.pending = undefined;
    return r.done ? undefined : r.value;
  }

  /** Stops the input without waiting for a pull in flight (it ends when the query's signal aborts). */
  close(): void {
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      p.catch(() => undefined);
      // return() queues behind the pull in flight; it must not be awaited.
      void p.then(() => this.it.return?.(), () => undefined).catch(() => undefined);
    } else void Promise.resolve(this.it.return?.()).catch(() => undefined);
  }
}
