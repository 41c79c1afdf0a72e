import { Block, concatBlocks, type Header } from '../../core/block.js';
import { NumericColumn, type Column } from '../../columns/column.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../../exec/query-context.js';
import { simpleType } from '../../types/data-type.js';
import { DELTA_COLUMN } from '../stream-mode.js';
import { alignUnread, KeyedRowStore } from './keyed-row-store.js';
import { keyLayout } from './latest-per-key.js';

function deltaColumn(rows: number, value: number): Column {
  return new NumericColumn(new Int8Array(rows).fill(value));
}

/**
 * Turns rows keyed by a primary key into a changelog (Proton's ChangelogConvertTransform): a new row for a key
 * already present is emitted as −1 of the old row then +1 of the new one; a −1 row deletes its key. Used for
 * versioned_kv streams and the `changelog(stream, keys…)` table function.
 *
 * Over a versioned_kv stream it converts only when something above tracks changes (an aggregation or a join):
 * a plain `SELECT` shows each new version as it arrives. The planner sets `tracking` then.
 */
export class ChangelogConvertNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  readonly unbounded: boolean;
  readonly changelog = true;
  tracking: boolean;
  private readonly deltaAt: number;
  /** Materialized views: state to start from, and the live store to checkpoint. */
  restoreFrom?: Block;
  store?: KeyedRowStore;

  constructor(
    readonly input: PlanNode,
    readonly keys: readonly string[],
    readonly version: string | undefined,
    tracking: boolean,
  ) {
    this.children = [input];
    this.unbounded = !!input.unbounded;
    this.tracking = tracking;
    const at = input.header.findIndex((c) => c.name === DELTA_COLUMN);
    this.header = at >= 0 ? input.header : [...input.header, { name: DELTA_COLUMN, type: simpleType('Int8') }];
    this.deltaAt = at >= 0 ? at : input.header.length;
  }

  describe(): string {
    return `ChangelogConvert (keys: ${this.keys.join(', ')}${this.tracking ? '' : '; pass-through'})`;
  }

  private withDelta(b: Block, value: number): Block {
    const cols = b.columns.slice(0, this.input.header.length);
    cols[this.deltaAt] = deltaColumn(b.rows, value);
    return new Block(this.header, cols, b.rows);
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const hasOwnDelta = this.deltaAt < this.input.header.length;
    if (!this.tracking) {
      for await (const b of this.input.run(ctx)) yield hasOwnDelta ? b : this.withDelta(b, 1);
      return;
    }
    const inHeader = this.input.header;
    const store = new KeyedRowStore(inHeader, keyLayout(inHeader, this.keys, this.version ?? this.keys[0]!, hasOwnDelta ? DELTA_COLUMN : undefined));
    this.store = store;
    if (this.restoreFrom) store.apply(this.restoreFrom);
    for await (const b of this.input.run(ctx)) {
      checkCancelled(ctx);
      const { retract, insert } = store.apply(b);
      const parts: Block[] = [];
      if (retract) parts.push(this.withDelta(retract, -1));
      if (insert) parts.push(this.withDelta(insert, 1));
      if (parts.length) yield concatBlocks(this.header, alignUnread(parts));
      else yield Block.empty(this.header);
    }
  }
}
