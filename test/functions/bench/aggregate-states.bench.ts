/**
 * Micro-benchmarks of the columnar aggregate states over 10M rows (a script, not a test):
 *   npx vitest bench --run test/functions/bench
 * Prints rows/s for each function with no GROUP BY and with 1K and 1M groups (group ids precomputed, as
 * the engine's hash table hands them over), in 64K-row blocks.
 */
import { bench, describe } from 'vitest';
import { NumericColumn, type Column } from '../../../src/columns/column.js';
import { defaultRegistry } from '../../../src/functions/index.js';
import type { FunctionContext } from '../../../src/functions/function.js';
import { parseDataType } from '../../../src/types/type-factory.js';

const ROWS = 10_000_000;
const BLOCK = 65_536;
const ctx = { timezone: 'UTC' } as FunctionContext;

function makeData(type: string): Column[] {
  const blocks: Column[] = [];
  for (let start = 0; start < ROWS; start += BLOCK) {
    const n = Math.min(BLOCK, ROWS - start);
    if (type === 'Float64') {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = ((start + i) * 7919) % 100_003 / 7;
      blocks.push(new NumericColumn(a));
    } else if (type === 'Int64') {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt(((start + i) * 7919) % 100_003);
      blocks.push(new NumericColumn(a));
    } else {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = ((start + i) * 7919) % 100_003;
      blocks.push(new NumericColumn(a));
    }
  }
  return blocks;
}

function makeGroups(groups: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let start = 0; start < ROWS; start += BLOCK) {
    const n = Math.min(BLOCK, ROWS - start);
    const g = new Uint32Array(n);
    for (let i = 0; i < n; i++) g[i] = ((start + i) * 2654435761) % groups;
    out.push(g);
  }
  return out;
}

const data: Record<string, Column[]> = { Float64: makeData('Float64'), Int32: makeData('Int32'), Int64: makeData('Int64') };
const groupIds: Record<number, Uint32Array[]> = { 1000: makeGroups(1000), 1_000_000: makeGroups(1_000_000) };

function run(fn: string, type: string, groups: number): number {
  const reg = defaultRegistry();
  const f = reg.resolveAggregate(fn, [], fn === 'count' ? [] : [parseDataType(type)], ctx);
  const states = f.createStates();
  states.resize(groups || 1);
  const t0 = performance.now();
  const cols = data[type]!;
  for (let b = 0; b < cols.length; b++) {
    const args = fn === 'count' ? [] : [cols[b]!];
    if (groups) states.add(groupIds[groups]![b]!, args, cols[b]!.length);
    else states.addAll(args, cols[b]!.length);
  }
  states.finalize(groups || 1);
  return performance.now() - t0;
}

// Measured once at load time (vitest's bench loop would re-run 10M-row passes hundreds of times).
const cases = [
  ['count', 'Float64'],
  ['sum', 'Float64'],
  ['sum', 'Int32'],
  ['sum', 'Int64'],
  ['avg', 'Float64'],
  ['max', 'Float64'],
  ['max', 'Int64'],
  ['uniqExact', 'Int32'],
] as const;
for (const [fn, type] of cases) {
  for (const groups of [0, 1000, 1_000_000]) {
    if (fn === 'uniqExact' && groups === 1_000_000) continue;
    const label = `${fn}(${type}) ${groups ? `${groups} groups` : 'no GROUP BY'}`;
    run(fn, type, groups); // warm-up
    const ms = Math.min(run(fn, type, groups), run(fn, type, groups));
    console.log(`${label.padEnd(36)} ${(ROWS / (ms / 1000) / 1e6).toFixed(0).padStart(6)} M rows/s  (${ms.toFixed(0)} ms)`);
  }
}

describe('aggregate states, 10M rows', () => {
  bench('noop (results are printed above)', () => {});
});
