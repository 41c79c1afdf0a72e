import { Block, type Header } from '../core/block.js';
import { NothingColumn, type Column } from '../columns/column.js';
import type { PlanNode } from './plan-node.js';
import type { QueryContext } from '../exec/query-context.js';
import { StorageScan } from '../exec/operators/sources.js';
import type { RangeHint, TableStorage } from '../storage/table-storage.js';

/**
 * A storage scan whose column list is decided after the whole query is compiled: the scope marks columns as
 * they are referenced, and only those are read. Unread positions carry NothingColumn placeholders, which no
 * compiled expression ever touches.
 */
export class PruningScan implements PlanNode {
  readonly children = [];
  readonly used = new Set<string>();
  /** Bounds from the WHERE clause, set by the planner once it has seen the filter. */
  ranges: RangeHint[] = [];
  constructor(
    readonly tableName: string,
    readonly storage: TableStorage,
    readonly header: Header,
    readonly final: boolean,
  ) {}
  private columns(): string[] {
    const cols = this.header.filter((c) => this.used.has(c.name)).map((c) => c.name);
    // count() reads nothing but still needs row counts: read the cheapest column.
    if (!cols.length && this.header.length) cols.push(cheapest(this.header));
    return cols;
  }
  describe(): string {
    return new StorageScan(this.tableName, this.storage, this.header, { columns: this.columns(), final: this.final, ranges: this.ranges }).describe();
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const cols = this.columns();
    const sub = this.header.filter((c) => cols.includes(c.name));
    const scan = new StorageScan(this.tableName, this.storage, sub, { columns: cols, final: this.final, ranges: this.ranges });
    const positions = this.header.map((c) => cols.indexOf(c.name));
    for await (const b of scan.run(ctx)) {
      const out: Column[] = positions.map((p) => (p >= 0 ? b.columns[p]! : new NothingColumn(b.rows)));
      yield new Block(this.header, out, b.rows);
    }
  }
}

function cheapest(header: Header): string {
  const order = ['UInt8', 'Int8', 'Bool', 'UInt16', 'Int16', 'Date', 'UInt32', 'Int32', 'DateTime', 'Float32'];
  let best = header[0]!.name;
  let rank = 99;
  for (const c of header) {
    const r = order.indexOf(c.type.kind);
    if (r >= 0 && r < rank) {
      rank = r;
      best = c.name;
    }
  }
  return best;
}
