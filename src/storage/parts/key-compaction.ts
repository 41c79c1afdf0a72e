import type { Block } from '../../core/block.js';
import { keyComparator, sortPermutation } from './row-comparator.js';
import { identity, keyColumns, replacingDedup } from './sort-block.js';

/**
 * How a key-value stream's parts keep one state per key (Proton's kv history stores):
 * - `versioned_kv`: the latest row per key (largest version, later row on ties), as ReplacingMergeTree;
 * - `changelog_kv` (`collapse`): what VersionedCollapsing on `_tp_delta` leaves of the part's stretch.
 * Retractions that may still cancel a row in another part (a −1 as a key's latest row, a −1 that cancels
 * nothing in the part) stay: a merge never sees every part of a key (parts are time-partitioned, and a
 * commit or merge covers a stretch of the history).
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
 *
 * With `segment`, the block is a stretch of a longer history (one part), whose earlier rows are elsewhere: a −1
 * that finds no +1 of this stretch to cancel may cancel an earlier row, so it stays, and the rows after it
 * collapse among themselves (a +1 after it is the key's new row, not the −1's partner). Collapsing the whole
 * history with those −1 rows gives the same live rows as collapsing it raw.
 */
export function collapseSurvivors(
  block: Block,
  key: readonly string[],
  version: string | undefined,
  delta: string,
  segment = false,
): Uint32Array {
  const m = block.materialized();
  const rows = m.rows;
  const keys = keyColumns(m, key);
  const perm = sortPermutation(version ? [...keys, ...keyColumns(m, [version])] : keys, rows) ?? identity(rows);
  const sameKey = keyComparator(keys);
  const d = m.column(delta);
  const signs = d && d.kind === 'numeric' ? d.data : undefined;
  // `out` ends with the current key's stack: `depth` rows of sign `stackSign` (kept −1 rows lie below it).
  const out = new Uint32Array(rows);
  let n = 0;
  let depth = 0;
  let stackSign = 0;
  for (let i = 0; i < rows; i++) {
    const r = perm[i]!;
    if (i > 0 && sameKey(perm[i - 1]!, r) !== 0) depth = 0;
    const s = signs && Number(signs[r]!) < 0 ? -1 : 1;
    if (depth > 0 && s !== stackSign) {
      n--;
      depth--;
    } else if (depth === 0 && s < 0 && segment) {
      out[n++] = r;
    } else {
      stackSign = s;
      out[n++] = r;
      depth++;
    }
  }
  return out.subarray(0, n);
}

/** A sorted block's rows that a key-value part keeps (see KeyCompaction). */
export function compactPerKey(block: Block, spec: KeyCompaction): Block {
  if (block.rows < 2) return block;
  if (!spec.collapse) return replacingDedup(block, spec.key, spec.version);
  const survivors = collapseSurvivors(block, spec.key, spec.version, spec.delta, true);
  return survivors.length === block.rows ? block : block.materialized().take(survivors);
}
