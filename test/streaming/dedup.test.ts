import { describe, expect, it } from 'vitest';
import { Block, type Header } from '../../src/core/block.js';
import { columnFromValues, type Value } from '../../src/columns/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { BlocksSource } from '../../src/exec/operators/sources.js';
import type { PlanNode } from '../../src/planner/plan-node.js';
import type { QueryContext } from '../../src/exec/query-context.js';
import { Scope } from '../../src/analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../../src/analyzer/expression-compiler.js';
import { defaultRegistry } from '../../src/functions/index.js';
import { parseExpression } from '../../src/sql/index.js';
import { DEFAULT_DEDUP_LIMIT, DedupNode, planDedup } from '../../src/streaming/dedup.js';
import { ctx as fnCtx } from '../functions/helpers.js';

const header: Header = [
  { name: 'id', type: parseDataType('UInt64') },
  { name: 'name', type: parseDataType('Nullable(String)') },
  { name: 'v', type: parseDataType('Float64') },
];

function block(rows: [bigint, string | null, number][]): Block {
  return new Block(
    header,
    header.map((h, c) => columnFromValues(h.type, rows.map((r) => r[c] as Value))),
    rows.length,
  );
}

function queryContext(): QueryContext {
  return {
    queryId: 'q',
    signal: new AbortController().signal,
    progress: { readRows: 0, readBytes: 0, totalRowsToRead: 0, writtenRows: 0, writtenBytes: 0, resultRows: 0, resultBytes: 0, lateEvents: 0, startNs: 0n },
    fn: fnCtx,
    settings: new Map(),
    deadlineMs: Infinity,
    blockRows: 65409,
    startMs: 0,
    maxMemory: 0,
    rssAtStart: 0,
  };
}

const reg = defaultRegistry();
const env: CompileEnv = {
  functions: { scalar: (n) => reg.getScalar(n), aggregate: (n) => reg.getAggregate(n), isAggregate: (n) => reg.isAggregate(n), window: (n) => reg.getWindow(n) },
  fnCtx,
  params: new Map(),
  subqueries: { get: () => undefined },
};
const scope = Scope.fromHeader(header);
const key = (sql: string) => compileExpression(env, scope, parseExpression(sql));
const args = (...sql: string[]) => sql.map((s) => parseExpression(s));

/** Runs the node and returns each output block's rows (ids only, or whole rows). */
async function run(node: PlanNode): Promise<Value[][][]> {
  const out: Value[][][] = [];
  for await (const b of node.run(queryContext())) out.push(b.toRows());
  return out;
}
const ids = (blocks: Value[][][]) => blocks.map((b) => b.map((r) => r[0]));

describe('DedupNode', () => {
  const blocks = [
    block([[1n, 'a', 1], [2n, 'b', 2], [1n, 'a', 3]]),
    block([[2n, 'c', 4], [3n, null, 5], [3n, null, 6]]),
    block([[4n, 'a', 7], [1n, 'x', 8]]),
  ];
  const source = () => new BlocksSource(header, () => blocks);

  it('passes each key the first time only, across blocks, keeping whole rows', async () => {
    const out = await run(new DedupNode(source(), [key('id')]));
    expect(out).toEqual([
      [[1n, 'a', 1], [2n, 'b', 2]],
      [[3n, null, 5]],
      [[4n, 'a', 7]],
    ]);
  });

  it('dedups on string keys with NULL as a key of its own, and on expressions', async () => {
    expect(ids(await run(new DedupNode(source(), [key('name')])))).toEqual([[1n, 2n], [2n, 3n], [1n]]);
    // blocks whose rows are all duplicates are not passed on
    expect(ids(await run(new DedupNode(source(), [key('id % 2')])))).toEqual([[1n, 2n]]);
  });

  it('composite keys compare every column', async () => {
    const out = ids(await run(new DedupNode(source(), [key('id'), key('name')])));
    expect(out).toEqual([[1n, 2n], [2n, 3n], [4n, 1n]]);
  });

  it('is a fresh key set on every run', async () => {
    const node = new DedupNode(source(), [key('id')]);
    const first = await run(node);
    expect(await run(node)).toEqual(first);
  });

  it('limit keeps only the newest keys: an evicted key passes again', async () => {
    const b = [block([[1n, 'a', 0], [2n, 'a', 0], [3n, 'a', 0]]), block([[3n, 'a', 0], [1n, 'a', 0], [2n, 'a', 0], [1n, 'a', 0]])];
    const node = new DedupNode(new BlocksSource(header, () => b), [key('id')], { limit: 2 });
    // After 1,2,3 only {2,3} are kept; 3 is a duplicate, 1 passes (evicting 2), then 2 passes (evicting 3).
    expect(ids(await run(node))).toEqual([[1n, 2n, 3n], [1n, 2n]]);
  });

  it('limit evicts in first-seen order over many keys', async () => {
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i): [bigint, string, number] => [BigInt(from + i), 'a', 0]);
    // 20 000 distinct keys with limit 5 000: only 15 000..19 999 are remembered afterwards.
    const b = [block(range(0, 10_000)), block(range(10_000, 20_000)), block(range(15_000, 20_000)), block(range(14_990, 15_000))];
    const out = ids(await run(new DedupNode(new BlocksSource(header, () => b), [key('id')], { limit: 5_000 })));
    expect(out.map((x) => x.length)).toEqual([10_000, 10_000, 10]);
    expect(out[2]).toEqual(range(14_990, 15_000).map((r) => r[0]));
  });

  it('timeout forgets keys first seen longer ago than the interval (processing time)', async () => {
    let now = 1_000;
    const times = [1_000, 1_500, 2_001, 2_600];
    let call = 0;
    const b = [block([[1n, 'a', 0]]), block([[1n, 'a', 0], [2n, 'a', 0]]), block([[1n, 'a', 0], [2n, 'a', 0]]), block([[2n, 'a', 0]])];
    const node = new DedupNode(new BlocksSource(header, () => b), [key('id')], {
      timeoutMs: 1_000,
      clock: () => (now = times[call++] ?? now),
    });
    // t=1000: 1 passes. t=1500: 1 is held, 2 passes. t=2001: 1 (seen at 1000) expired, passes again; 2 held.
    // t=2600: 2 (seen at 1500) expired: passes.
    expect(ids(await run(node))).toEqual([[1n], [2n], [1n], [2n]]);
  });

  it('describes itself for EXPLAIN', () => {
    expect(new DedupNode(source(), [key('id')], { timeoutMs: 10_000, limit: 5 }).describe()).toBe('Dedup (keys: id, timeout 10s, limit 5)');
    expect(new DedupNode(source(), [key('id')]).describe()).toBe(`Dedup (keys: id, limit ${DEFAULT_DEDUP_LIMIT})`);
  });
});

describe('planDedup', () => {
  const source = () => new BlocksSource(header, () => [block([[1n, 'a', 1], [1n, 'b', 2]])]);
  it('reads keys, then an optional timeout and limit from the end', () => {
    const a = planDedup(source(), scope, args('id'), env);
    expect([a.keys.map((k) => k.name), a.timeoutMs, a.limit]).toEqual([['id'], undefined, DEFAULT_DEDUP_LIMIT]);
    const b = planDedup(source(), scope, args('id', 'name', '120s'), env);
    expect([b.keys.map((k) => k.name), b.timeoutMs, b.limit]).toEqual([['id', 'name'], 120_000, DEFAULT_DEDUP_LIMIT]);
    const c = planDedup(source(), scope, args('lower(name)', 'INTERVAL 2 MINUTE', '1000'), env);
    expect([c.keys.map((k) => k.name), c.timeoutMs, c.limit]).toEqual([['lower(name)'], 120_000, 1000]);
    const d = planDedup(source(), scope, args('id', 'name', '10'), env);
    expect([d.keys.map((k) => k.name), d.timeoutMs, d.limit]).toEqual([['id', 'name'], undefined, 10]);
  });
  it('runs what it plans', async () => {
    expect(ids(await run(planDedup(source(), scope, args('id', '1s', '10'), env)))).toEqual([[1n]]);
    expect(ids(await run(planDedup(source(), scope, args('name'), env)))).toEqual([[1n, 1n]]);
  });
  it('rejects bad arguments with ClickHouse errors', () => {
    const code = (a: string[]) => {
      try {
        planDedup(source(), scope, args(...a), env);
        return 'ok';
      } catch (e) {
        return (e as { errorName?: string }).errorName;
      }
    };
    expect(code([])).toBe('TOO_FEW_ARGUMENTS_FOR_FUNCTION');
    expect(code(['1'])).toBe('BAD_ARGUMENTS');
    expect(code(['10s'])).toBe('BAD_ARGUMENTS');
    expect(code(['id', '0'])).toBe('BAD_ARGUMENTS');
    expect(code(['id', 'INTERVAL 1 MONTH'])).toBe('BAD_ARGUMENTS');
    expect(code(['id', '10s', 'name'])).toBe('BAD_ARGUMENTS');
    expect(code(['nope'])).toBe('UNKNOWN_IDENTIFIER');
  });
});
