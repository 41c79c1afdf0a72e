import type { Block } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import type { Column } from '../../columns/column.js';
import { columnComparator, keyComparator, sortPermutation } from './row-comparator.js';

export function keyColumns(block: Block, names: readonly string[]): Column[] {
  return names.map((n) => {
    const c = block.column(n);
    if (!c) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `Sort key column ${n} is not in the table`);
    return c;
  });
}

/** The block ordered by the named key columns (stable: equal keys keep their order). */
export function sortBlock(block: Block, sortKey: readonly string[]): Block {
  if (sortKey.length === 0 || block.rows < 2) return block;
  const m = block.materialized();
  const perm = sortPermutation(keyColumns(m, sortKey), m.rows);
  return perm ? m.take(perm) : m;
}

/**
 * ReplacingMergeTree: one row per sorting key. Input rows must be in insertion order (older first); the
 * survivor is the row with the highest version, or with no version column the last inserted. Ties on the
 * version go to the later row. The result is sorted by the key.
 */
export function replacingDedup(block: Block, sortKey: readonly string[], versionColumn?: string): Block {
  if (block.rows < 2) return block;
  const m = block.materialized();
  const keys = keyColumns(m, sortKey);
  const perm = sortPermutation(keys, m.rows) ?? identity(m.rows);
  const cmp = keyComparator(keys);
  const ver = versionColumn ? columnComparator(keyColumns(m, [versionColumn])[0]!) : undefined;
  const keep = new Uint32Array(m.rows);
  let n = 0;
  let best = perm[0]!;
  for (let i = 1; i < perm.length; i++) {
    const cur = perm[i]!;
    if (cmp(perm[i - 1]!, cur) !== 0) {
      keep[n++] = best;
      best = cur;
    } else if (!ver || ver(cur, best) >= 0) {
      best = cur;
    }
  }
  keep[n++] = best;
  return n === m.rows && isIdentity(keep) ? m : m.take(keep.subarray(0, n));
}

/** The permutation 0, 1, …, n − 1. */
export function identity(n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

function isIdentity(p: Uint32Array): boolean {
  for (let i = 0; i < p.length; i++) if (p[i] !== i) return false;
  return true;
}
