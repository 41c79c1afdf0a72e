import { Block, type Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { concatColumns, materialize, takeColumn } from '../columns/ops.js';
import { columnComparator } from './operators/sort.js';

/**
 * `extremes = 1`: the minimum and maximum of every result column over all rows sent, as two one-row
 * blocks. NULLs are never an extreme unless a column holds nothing else.
 */
export class ExtremesTracker {
  private min: Column[] | undefined;
  private max: Column[] | undefined;

  constructor(private readonly header: Header) {}

  add(block: Block): void {
    if (block.rows === 0) return;
    const mins: Column[] = [];
    const maxs: Column[] = [];
    for (let c = 0; c < this.header.length; c++) {
      const col = materialize(block.columns[c]!);
      const type = this.header[c]!.type;
      mins.push(takeColumn(col, Uint32Array.of(extreme(columnComparator(col, type, false, false), block.rows))));
      maxs.push(takeColumn(col, Uint32Array.of(extreme(columnComparator(col, type, true, true), block.rows))));
    }
    this.min = this.min === undefined ? mins : this.pick(this.min, mins, false);
    this.max = this.max === undefined ? maxs : this.pick(this.max, maxs, true);
  }

  result(): { min: Block; max: Block } | undefined {
    if (this.min === undefined || this.max === undefined) return undefined;
    return { min: new Block(this.header, this.min, 1), max: new Block(this.header, this.max, 1) };
  }

  /** Per column, the better of the current one-row extreme and a new one. */
  private pick(current: Column[], next: Column[], descending: boolean): Column[] {
    return current.map((cur, c) => {
      const both = concatColumns([cur, next[c]!]);
      const cmp = columnComparator(both, this.header[c]!.type, descending, descending);
      return cmp(1, 0) < 0 ? next[c]! : cur;
    });
  }
}

/** The row the comparator orders first. */
function extreme(cmp: (a: number, b: number) => number, rows: number): number {
  let best = 0;
  for (let i = 1; i < rows; i++) if (cmp(i, best) < 0) best = i;
  return best;
}
