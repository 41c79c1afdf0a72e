/**
 * Window assignment over event times (pure functions over typed arrays; the unit is the time column's).
 * Tumble and hop windows are aligned to the epoch, as Proton's are: tumble(5s) gives [0s, 5s), [5s, 10s) …;
 * hop(step, size) gives the windows [k·step, k·step + size) that contain the event.
 */

export function tumbleStart(t: number, size: number): number {
  return Math.floor(t / size) * size;
}

/**
 * Hop windows containing each event: `rowOf[i]` is the source row of output row i and `starts[i]` its window
 * start. Windows are listed oldest first per event.
 */
export function assignHop(times: Float64Array, rows: number, step: number, size: number, keep?: (windowEnd: number) => boolean): { rowOf: Uint32Array; starts: Float64Array; count: number } {
  const per = Math.ceil(size / step);
  let rowOf = new Uint32Array(rows * per);
  let starts = new Float64Array(rows * per);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const t = times[r]!;
    const last = Math.floor(t / step) * step;
    // Oldest window containing t: the smallest k·step with k·step + size > t.
    let first = last - (per - 1) * step;
    while (first + size <= t) first += step;
    for (let s = first; s <= last; s += step) {
      if (keep && !keep(s + size)) continue;
      rowOf[n] = r;
      starts[n] = s;
      n++;
    }
  }
  if (n < rowOf.length) {
    rowOf = rowOf.subarray(0, n);
    starts = starts.subarray(0, n);
  }
  return { rowOf, starts, count: n };
}
