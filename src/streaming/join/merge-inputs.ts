import type { Block } from '../../core/block.js';

export interface SideBlock {
  readonly side: 0 | 1;
  readonly block: Block;
}

/**
 * Interleaves two block sources in arrival order, pulling the next block of a side only after its previous one
 * has been handled. When both have a block ready, side 1 goes first if `preferSecond` (an enrichment join
 * applies updates of its versioned side before the events that arrived with them). Ends when both end;
 * stopping early ends both sources without waiting for a pull in flight.
 */
export async function* mergeInputs(
  a: AsyncIterable<Block>,
  b: AsyncIterable<Block>,
  preferSecond: boolean,
  /** Told how many blocks have arrived but are not handed on yet, whenever that changes. */
  onBuffered?: (n: number) => void,
): AsyncGenerator<SideBlock> {
  const its = [a[Symbol.asyncIterator](), b[Symbol.asyncIterator]()] as const;
  const pending: (Promise<void> | undefined)[] = [undefined, undefined];
  const ready: (IteratorResult<Block> | undefined)[] = [undefined, undefined];
  const done = [false, false];
  const failed: { error?: unknown; set: boolean } = { set: false };
  const order: (0 | 1)[] = preferSecond ? [1, 0] : [0, 1];
  try {
    while (!done[0] || !done[1]) {
      for (const i of [0, 1] as const) {
        if (done[i] || pending[i]) continue;
        pending[i] = its[i].next().then(
          (r) => {
            ready[i] = r;
            onBuffered?.((ready[0] ? 1 : 0) + (ready[1] ? 1 : 0));
          },
          (e: unknown) => {
            if (!failed.set) Object.assign(failed, { set: true, error: e });
          },
        );
      }
      await Promise.race(pending.filter((p): p is Promise<void> => p !== undefined));
      if (failed.set) throw failed.error;
      for (const i of order) {
        const r = ready[i];
        if (!r) continue;
        ready[i] = undefined;
        pending[i] = undefined;
        onBuffered?.((ready[0] ? 1 : 0) + (ready[1] ? 1 : 0));
        if (r.done) done[i] = true;
        else yield { side: i, block: r.value };
        if (failed.set) throw failed.error;
      }
    }
  } finally {
    for (const i of [0, 1] as const) {
      if (done[i]) continue;
      const p = pending[i];
      const it = its[i];
      // return() queues behind a pull in flight; it must not be awaited.
      if (p && !ready[i]) void p.then(() => it.return?.()).catch(() => undefined);
      else void Promise.resolve(it.return?.()).catch(() => undefined);
    }
  }
}
