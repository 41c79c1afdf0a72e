import type { Block } from '../../core/block.js';
import { keyComparator, sortPermutation } from './row-comparator.js';
import { keyColumns, replacingDedup } from './sort-block.js';

/**
 * How a key-value stream's parts keep one state per key (Proton's kv history stores):
 * - `versioned_kv`: the latest row per key (largest version, later row on ties), as ReplacingMergeTree;
 * - `changelog_kv` (`collapse`): what VersionedCollapsing on `_tp_delta` leaves.
 * Retractions that may still cancel a row in another part (a −1 as a key's latest row, a residual −1) stay:
 * a merge never sees every part of a key, since parts are time-partitioned.
 */
export interface KeyCompaction {
  readonly key: readonly string[];
  readonly version: string;
  readonly delta: string;
  readonly collapse: boolean;
}

/**
 * The rows VersionedCollapsing leaves of `block` (rows in arrival order): a key's rows in version order
 * (arrival order on ties) form a stack of same-signed rows, and a row of the other sign cancels the top one.
 * Returns the surviving row numbers in key order; a key's survivors all have the same sign.
 */
export function collapseSurvivors(block: Block, key: readonly string[], version: string | undefined, delta: string): Uint32Array {
  const m = block.materialized();
  const rows = m.rows;
  const keys = keyColumns(m, key);
  const perm = sortPermutation(version ? [...keys, ...keyColumns(m, [version])] : keys, rows) ?? identity(rows);
  const sameKey = keyComparator(keys);
  const d = m.column(delta);
  const sign = (r: number): number => (d && d.kind === 'numeric' ? Number(d.data[r]!) : 1);
  const out = new Uint32Array(rows);
  let n = 0;
  let start = 0; // the current key's stack is out[start, n)
  let stackSign = 0;
  for (let i = 0; i < rows; i++) {
    const r = perm[i]!;
    if (i > 0 && sameKey(perm[i - 1]!, r) !== 0) start = n;
    const s = sign(r) > 0 ? 1 : -1;
    if (n === start || s === stackSign) {
      stackSign = s;
      out[n++] = r;
    } else n--;
  }
  return out.subarray(0, n);
}

/** A sorted block's rows that a key-value part keeps (see KeyCompaction). */
export function compactPerKey(block: Block, spec: KeyCompaction): Block {
  if (block.rows < 2) return block;
  if (!spec.collapse) return replacingDedup(block, spec.key, spec.version);
  const survivors = collapseSurvivors(block, spec.key, spec.version, spec.delta);
  return survivors.length === block.rows ? block : block.materialized().take(survivors);
}

function identity(n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}
