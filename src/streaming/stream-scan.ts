import { Block, type Header } from '../core/block.js';
import { NothingColumn, type Column } from '../columns/column.js';
import type { PlanNode } from '../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../exec/query-context.js';
import type { RangeHint, TableStorage, TailPosition, TailStart } from '../storage/table-storage.js';
import { DbError } from '../errors/index.js';

/**
 * The source of a streaming query over a stream: history from `start` (seek_to, or a time bound in WHERE),
 * then every row appended later, until the query is cancelled. Like PruningScan, it reads only the columns
 * the query references (the scope marks them while the query compiles).
 */
export class StreamingScan implements PlanNode {
  readonly children = [];
  readonly unbounded = true;
  readonly used = new Set<string>();
  ranges: RangeHint[] = [];
  start: TailStart = { kind: 'latest' };
  /** A stream in mode 'changelog': its `_tp_delta` retracts (see isChangelogPlan). */
  changelog = false;
  /** Told where the read has got to (materialized views checkpoint it with their state). */
  onPosition?: (pos: TailPosition) => void;

  constructor(
    readonly tableName: string,
    readonly storage: TableStorage,
    readonly header: Header,
  ) {}

  private columns(): string[] {
    const cols = this.header.filter((c) => this.used.has(c.name)).map((c) => c.name);
    if (!cols.length && this.header.length) cols.push(this.header[this.header.length - 1]!.name);
    return cols;
  }

  describe(): string {
    const s = this.start;
    const from = s.kind === 'time' ? `time >= ${s.value}` : s.kind === 'sn' ? `sn ${s.sn}` : s.kind;
    return `StreamingScan ${this.tableName} (${this.columns().join(', ')}; from ${from})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const storage = this.storage;
    if (!storage.tail) throw new DbError('NOT_IMPLEMENTED', `${this.tableName} cannot be read as a stream`);
    const cols = this.columns();
    const positions = this.header.map((c) => cols.indexOf(c.name));
    const blocks = storage.tail({ columns: cols, start: this.start, ranges: this.ranges, signal: ctx.signal, onPosition: this.onPosition });
    for await (const b of blocks) {
      checkCancelled(ctx);
      if (!b.rows) {
        // The tail's end-of-history marker.
        ctx.progress.backfillsDone = (ctx.progress.backfillsDone ?? 0) + 1;
        yield Block.empty(this.header);
        continue;
      }
      ctx.progress.readRows += b.rows;
      ctx.progress.readBytes += b.byteSize;
      const out: Column[] = positions.map((p) => (p >= 0 ? b.columns[p]! : new NothingColumn(b.rows)));
      yield new Block(this.header, out, b.rows);
    }
  }
}
