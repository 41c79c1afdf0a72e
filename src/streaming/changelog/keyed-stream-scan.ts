import { Block, type Header } from '../../core/block.js';
import type { PlanNode } from '../../planner/plan-node.js';
import type { QueryContext } from '../../exec/query-context.js';
import type { StreamingScan } from '../stream-scan.js';
import { keyLayout, latestPerKey } from './latest-per-key.js';

/**
 * A streaming read of a changelog_kv or versioned_kv stream. Like Proton, it always backfills: first the
 * current state (each key's latest live row, merged from history), then every row appended later. A read that
 * resumes at a sequence number (a materialized view after restart) has its state already and reads on from there.
 */
export class KeyedStreamScan implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  readonly unbounded = true;
  readonly changelog = true;

  constructor(
    readonly scan: StreamingScan,
    private readonly keys: readonly string[],
    private readonly version: string,
    private readonly delta: string | undefined,
    private readonly collapse = false,
  ) {
    this.children = [scan];
    this.header = scan.header;
  }

  describe(): string {
    return `KeyedStreamScan (keys: ${this.keys.join(', ')}; history merged per key)`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const scan = this.scan;
    if (scan.start.kind === 'sn' || scan.start.kind === 'latest') {
      yield* scan.run(ctx);
      return;
    }
    // The tail reports the end of history (a position with history = false) before it waits for live rows:
    // that is when the merged history is handed on, even if no live row ever comes.
    const outer = scan.onPosition;
    let historyEnd!: () => void;
    const ended = new Promise<'history-end'>((resolve) => (historyEnd = () => resolve('history-end')));
    let inHistory = true;
    scan.onPosition = (pos) => {
      if (inHistory && !pos.history) {
        inHistory = false;
        historyEnd();
      }
      outer?.(pos);
    };
    const it = scan.run(ctx)[Symbol.asyncIterator]();
    const history: Block[] = [];
    try {
      let pending = it.next();
      for (;;) {
        const r = await Promise.race([pending, ended]);
        if (r === 'history-end') break;
        if (r.done) break;
        history.push(r.value);
        pending = it.next();
      }
      const layout = keyLayout(this.header, this.keys, this.version, this.delta, this.collapse);
      const merged = latestPerKey(this.header, history, layout);
      history.length = 0;
      // An empty history is no change: nothing to hand on (an aggregation would emit an empty state).
      if (merged.rows) yield merged;
      for (;;) {
        const r = await pending;
        if (r.done) return;
        yield r.value;
        pending = it.next();
      }
    } finally {
      scan.onPosition = outer;
      await it.return?.();
    }
  }
}
