import { Block, concatBlocks, type Header } from '../../core/block.js';
import { takeColumn } from '../../columns/ops.js';
import { NothingColumn } from '../../columns/column.js';
import { makeGroupIndex, type GroupIndex } from '../../exec/operators/aggregate.js';
import { deltaAt, type KeyLayout } from './latest-per-key.js';

/** What one block of changes did to the keyed state. */
export interface KeyedChanges {
  /** The rows replaced or deleted (their earlier versions), to be emitted with `_tp_delta` −1. */
  readonly retract: Block | undefined;
  /** The new latest rows, to be emitted with +1. */
  readonly insert: Block | undefined;
}

/**
 * The latest row of every key, kept columnar: the blocks rows arrived in stay referenced by (block slot, row)
 * per key, and are compacted into one block once most of what they hold is superseded. Memory is therefore
 * bounded by about twice the live rows plus one compaction threshold.
 */
export class KeyedRowStore {
  private readonly index: GroupIndex;
  private slotOf = new Int32Array(0);
  private rowOf = new Uint32Array(0);
  private blocks: (Block | undefined)[] = [];
  private liveIn: number[] = [];
  private stored = 0;
  live = 0;

  constructor(
    readonly header: Header,
    private readonly layout: KeyLayout,
  ) {
    this.index = makeGroupIndex(layout.keys.map((k) => header[k]!.type));
  }

  private grow(n: number): void {
    if (this.slotOf.length >= n) return;
    const size = Math.max(n, this.slotOf.length * 2, 1024);
    const s = new Int32Array(size).fill(-1);
    s.set(this.slotOf);
    const r = new Uint32Array(size);
    r.set(this.rowOf);
    this.slotOf = s;
    this.rowOf = r;
  }

  /**
   * Applies a block of rows: a +1 row becomes its key's latest version, a −1 row deletes its key. Within the
   * block only each key's last row counts, so the changes returned are the net effect of the block.
   */
  apply(block: Block): KeyedChanges {
    const rows = block.rows;
    if (!rows) return { retract: undefined, insert: undefined };
    const ids = new Uint32Array(rows);
    this.index.assign(this.layout.keys.map((k) => block.columns[k]!), rows, ids);
    this.grow(this.index.size);
    const delta = deltaAt(this.layout.delta >= 0 ? block.columns[this.layout.delta] : undefined);
    // Each touched key's last row in this block (−2: deleted), in first-touch order.
    const last = new Map<number, number>();
    for (let i = 0; i < rows; i++) last.set(ids[i]!, delta(i) > 0 ? i : -2);
    const retractSlots: number[] = [];
    const retractRows: number[] = [];
    const insertMask = new Uint8Array(rows);
    let inserts = 0;
    const slot = this.blocks.length;
    for (const [g, r] of last) {
      const old = this.slotOf[g]!;
      if (old >= 0) {
        retractSlots.push(old);
        retractRows.push(this.rowOf[g]!);
        this.liveIn[old]!--;
        this.live--;
        this.slotOf[g] = -1;
      }
      if (r >= 0) {
        insertMask[r] = 1;
        inserts++;
        this.slotOf[g] = slot;
        this.rowOf[g] = r;
        this.live++;
      }
    }
    const retract = retractSlots.length ? this.gather(retractSlots, retractRows) : undefined;
    this.blocks.push(inserts ? block : undefined);
    this.liveIn.push(inserts);
    this.stored += inserts ? rows : 0;
    for (const s of retractSlots) {
      if (this.blocks[s] && this.liveIn[s] === 0) {
        this.stored -= this.blocks[s]!.rows;
        this.blocks[s] = undefined;
      }
    }
    if (this.stored > 2 * this.live + 65536 || this.blocks.length > 65536) this.compact();
    const insert = inserts === 0 ? undefined : inserts === rows ? block : block.filter(insertMask, inserts);
    return { retract, insert };
  }

  /** Rows (slot, row) gathered into one block, grouped by the block they live in. */
  private gather(slots: readonly number[], rows: readonly number[]): Block {
    const bySlot = new Map<number, number[]>();
    for (let i = 0; i < slots.length; i++) {
      let list = bySlot.get(slots[i]!);
      if (!list) bySlot.set(slots[i]!, (list = []));
      list.push(rows[i]!);
    }
    const parts: Block[] = [];
    for (const [s, list] of bySlot) {
      const b = this.blocks[s]!;
      const idx = Uint32Array.from(list);
      parts.push(new Block(b.header, b.columns.map((c) => takeColumn(c, idx)), idx.length));
    }
    return concatBlocks(this.header, alignUnread(parts));
  }

  /** Every key's latest row, as one block (also the state's checkpoint). */
  rows(): Block {
    this.compact();
    return this.blocks[0] ?? Block.empty(this.header);
  }

  /** Moves every live row into one block and frees the rest. */
  private compact(): void {
    const groups = this.index.size;
    const slots: number[] = [];
    const rows: number[] = [];
    const owners: number[] = [];
    for (let g = 0; g < groups; g++) {
      const s = this.slotOf[g]!;
      if (s < 0) continue;
      slots.push(s);
      rows.push(this.rowOf[g]!);
      owners.push(g);
    }
    // gather() groups rows by slot; compute each owner's new position the same way.
    const order = owners.map((_, i) => i).sort((a, b) => slots[a]! - slots[b]! || a - b);
    const merged = slots.length ? this.gatherOrdered(order, slots, rows) : undefined;
    this.blocks = merged ? [merged] : [];
    this.liveIn = merged ? [merged.rows] : [];
    this.stored = merged?.rows ?? 0;
    for (let p = 0; p < order.length; p++) {
      const g = owners[order[p]!]!;
      this.slotOf[g] = 0;
      this.rowOf[g] = p;
    }
  }

  private gatherOrdered(order: readonly number[], slots: readonly number[], rows: readonly number[]): Block {
    const parts: Block[] = [];
    let i = 0;
    while (i < order.length) {
      const s = slots[order[i]!]!;
      let j = i;
      while (j < order.length && slots[order[j]!] === s) j++;
      const idx = new Uint32Array(j - i);
      for (let k = i; k < j; k++) idx[k - i] = rows[order[k]!]!;
      const b = this.blocks[s]!;
      parts.push(new Block(b.header, b.columns.map((c) => takeColumn(c, idx)), idx.length));
      i = j;
    }
    return concatBlocks(this.header, alignUnread(parts));
  }
}

/**
 * Columns the query does not read are NothingColumn in live blocks but defaults in a state restored from a
 * checkpoint: make them NothingColumn everywhere so the parts concatenate.
 */
export function alignUnread(parts: Block[]): Block[] {
  if (parts.length < 2) return parts;
  const width = parts[0]!.columns.length;
  const unread: boolean[] = [];
  for (let i = 0; i < width; i++) unread[i] = parts.some((p) => p.columns[i]!.kind === 'nothing');
  if (!unread.includes(true)) return parts;
  return parts.map((p) => new Block(p.header, p.columns.map((c, i) => (unread[i] ? new NothingColumn(p.rows) : c)), p.rows));
}
