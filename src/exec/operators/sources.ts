import { Block, type Header } from '../../core/block.js';
import { T } from '../../types/data-type.js';
import { NumericColumn } from '../../columns/column.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, settingNumber, yieldToEventLoop, type QueryContext } from '../query-context.js';
import { DbError } from '../../errors/index.js';
import type { RangeHint, ReadOptions, TableStorage } from '../../storage/table-storage.js';
import { columnByteSize } from '../../columns/ops.js';

/** `numbers(start, count)`, `system.numbers` (count = Infinity), `zeros(n)`. */
export class NumbersSource implements PlanNode {
  readonly children = [];
  readonly header: Header;
  constructor(
    readonly start: number,
    readonly count: number,
    readonly columnName = 'number',
    readonly zeros = false,
    readonly step = 1,
  ) {
    this.header = [{ name: columnName, type: zeros ? T.UInt8 : T.UInt64 }];
  }
  /** WHERE bounds on `number` (the planner fills them): the scan starts and stops at them, as ClickHouse's does. */
  readonly ranges: RangeHint[] = [];
  describe(): string {
    return `ReadFromSystemNumbers (${this.start}, ${this.count})`;
  }
  /** [first value, row count] after applying the WHERE bounds (step 1 only). */
  private bounded(): [number, number] {
    let first = this.start;
    let last = this.start + this.count - 1;
    if (this.zeros || this.step !== 1) return [first, this.count];
    for (const r of this.ranges) {
      if (r.column !== this.columnName) continue;
      if (r.min !== undefined) first = Math.max(first, Math.ceil(r.min));
      if (r.max !== undefined) last = Math.min(last, Math.floor(r.max));
    }
    return [first, Math.max(0, last - first + 1)];
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const blockRows = ctx.blockRows;
    const [first, count] = this.bounded();
    let produced = 0;
    let next = first;
    while (produced < count) {
      checkCancelled(ctx);
      const n = Math.min(blockRows, count - produced);
      let col: NumericColumn;
      if (this.zeros) col = new NumericColumn(new Uint8Array(n));
      else {
        const data = new BigUint64Array(n);
        for (let i = 0; i < n; i++) data[i] = BigInt(next + i * this.step);
        col = new NumericColumn(data);
      }
      next += n * this.step;
      produced += n;
      ctx.progress.readRows += n;
      ctx.progress.readBytes += n * 8;
      yield new Block(this.header, [col], n);
      await yieldToEventLoop();
    }
  }
}

/** `system.one` and a SELECT without FROM: one row, one UInt8 column `dummy`. */
export class OneRowSource implements PlanNode {
  readonly children = [];
  readonly header: Header = [{ name: 'dummy', type: T.UInt8 }];
  describe(): string {
    return 'ReadFromSystemOne';
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    ctx.progress.readRows += 1;
    ctx.progress.readBytes += 1;
    yield new Block(this.header, [new NumericColumn(new Uint8Array(1))], 1);
  }
}

/** Blocks computed up front: system tables, subquery results, VALUES. */
export class BlocksSource implements PlanNode {
  readonly children = [];
  constructor(
    readonly header: Header,
    readonly produce: (ctx: QueryContext) => Promise<Block[]> | Block[],
    readonly label = 'ReadFromPreparedSource',
  ) {}
  describe(): string {
    return this.label;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const blocks = await this.produce(ctx);
    for (const b of blocks) {
      ctx.progress.readRows += b.rows;
      yield b;
    }
  }
}

/** Reads a table's storage: only the needed columns, with range hints for pruning. */
export class StorageScan implements PlanNode {
  readonly children = [];
  constructor(
    readonly tableName: string,
    readonly storage: TableStorage,
    readonly header: Header,
    readonly options: Omit<ReadOptions, 'signal'>,
  ) {}
  describe(): string {
    const r = this.options.ranges?.length ? ` ranges: ${this.options.ranges.map((h) => `${h.column}∈[${h.min ?? '-∞'}, ${h.max ?? '+∞'}]`).join(', ')}` : '';
    return `ReadFromStorage (${this.tableName}) columns: ${this.options.columns.join(', ')}${this.options.final ? ' FINAL' : ''}${r}`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const stats = this.storage.stats();
    ctx.progress.totalRowsToRead += stats.rows;
    let n = 0;
    for await (const b of this.storage.read({ ...this.options, signal: ctx.signal, blockRows: ctx.blockRows })) {
      checkCancelled(ctx);
      ctx.progress.readRows += b.rows;
      const maxRead = settingNumber(ctx.settings, 'max_rows_to_read', 0);
      if (maxRead > 0 && ctx.progress.readRows > maxRead && ctx.settings.get('read_overflow_mode') !== 'break') {
        throw new DbError('TOO_MANY_ROWS', `Limit for rows (controlled by 'max_rows_to_read' setting) exceeded, max rows: ${maxRead}, current rows: ${ctx.progress.readRows}`);
      }
      let bytes = 0;
      for (const c of b.columns) bytes += columnByteSize(c);
      ctx.progress.readBytes += bytes;
      // Storage may name columns its own way; the plan's header is authoritative.
      yield new Block(this.header, b.columns, b.rows);
      if (++n % 8 === 0) await yieldToEventLoop();
    }
  }
}
