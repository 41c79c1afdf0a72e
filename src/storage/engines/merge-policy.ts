export interface MergeCandidate {
  readonly rows: number;
}

export interface MergePolicyOptions {
  readonly minParts: number;
  readonly maxParts: number;
  readonly maxRows: number;
}

/**
 * Size-tiered choice of adjacent parts to merge within one partition (parts ordered by sequence number, so a
 * merged part's range never spans a part it does not include). A window qualifies when it has at least
 * `minParts` parts, at most `maxRows` rows, and no part holds more than half of its rows (so a big part is not
 * rewritten again and again to absorb small ones). The cheapest qualifying window wins. Returns [start, end).
 */
export function selectMerge(parts: readonly MergeCandidate[], opts: MergePolicyOptions): [number, number] | null {
  let best: [number, number] | null = null;
  let bestRows = Infinity;
  for (let i = 0; i < parts.length; i++) {
    let total = 0;
    let max = 0;
    for (let j = i; j < parts.length && j - i < opts.maxParts; j++) {
      const r = parts[j]!.rows;
      total += r;
      max = Math.max(max, r);
      if (total > opts.maxRows) break;
      const count = j - i + 1;
      if (count >= opts.minParts && max * 2 <= total && (total < bestRows || (total === bestRows && best !== null && count > best[1] - best[0]))) {
        best = [i, j + 1];
        bestRows = total;
      }
    }
  }
  return best;
}
