import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import type { Block } from '../../src/core/block.js';
import type { QueryContext } from '../../src/exec/query-context.js';
import type { PlannerEnv } from '../../src/planner/planner-env.js';
import type { FunctionContext } from '../../src/functions/function.js';
import type { TableEntry } from '../../src/catalog/table-entry.js';
import { readValue, type Value } from '../../src/columns/values.js';
import { formatValueText } from '../../src/types/text-conversion.js';
import { DbError } from '../../src/errors/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { RandomStreamSource, planRandomStream, type RandomClock } from '../../src/streaming/random-stream.js';
import { RandomSchedule, randomStreamSettings, shardPlans } from '../../src/streaming/random-schedule.js';
import { RandomGenerator, randomColumn } from '../../src/streaming/random-column.js';

/** Virtual time: sleeping jumps the clock to the wake-up time, so pacing is tested without waiting. */
class FakeClock implements RandomClock {
  t = 1000;
  readonly wakeups: number[] = [];
  now(): number {
    return this.t;
  }
  async sleepUntil(untilMs: number, signal: AbortSignal): Promise<void> {
    this.wakeups.push(untilMs);
    if (!signal.aborted) this.t = Math.max(this.t, untilMs);
  }
}

let dataDir: string;
let engine: Engine;
let session: Session;

async function run(sql: string, settings?: Record<string, string>): Promise<string[][]> {
  const r = await session.execute({ sql, settings: settings ? new Map(Object.entries(settings)) : undefined });
  const rows: string[][] = [];
  for await (const b of r.blocks) {
    for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
  }
  return rows;
}

async function errorOf(sql: string): Promise<DbError> {
  try {
    await run(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(DbError);
    return e as DbError;
  }
  throw new Error(`expected ${sql} to fail`);
}

function fnContext(): FunctionContext {
  return { timezone: 'UTC', queryStartMs: Date.now(), currentUser: 'default', currentDatabase: 'default', settings: new Map(), server: engine.serverFacts };
}

function plannerEnv(): PlannerEnv {
  return {
    functions: engine.functions,
    fnCtx: fnContext(),
    params: new Map(),
    settings: new Map(),
    currentDatabase: 'default',
    lookupTable: (db, name) => engine.catalog.table(db ?? 'default', name),
    databaseExists: (name) => engine.catalog.databases.has(name),
    systemTable: () => undefined,
    runToBlock: () => Promise.reject(new Error('not used')),
    parseQuery: () => {
      throw new Error('not used');
    },
  };
}

function queryContext(settings: Record<string, string> = {}, blockRows = 65409, signal = new AbortController().signal): QueryContext {
  return {
    queryId: 'q',
    signal,
    progress: { readRows: 0, readBytes: 0, totalRowsToRead: 0, writtenRows: 0, writtenBytes: 0, resultRows: 0, resultBytes: 0, lateEvents: 0, startNs: 0n },
    fn: fnContext(),
    settings: new Map(Object.entries(settings)),
    deadlineMs: Infinity,
    blockRows,
    startMs: Date.now(),
    maxMemory: 0,
    rssAtStart: 0,
  };
}

async function createRandom(sql: string): Promise<TableEntry> {
  await run(sql);
  const name = /RANDOM STREAM (\w+)/.exec(sql)![1]!;
  return engine.catalog.requireTable('default', name);
}

/** The first `count` blocks of a read (then the read is abandoned). */
async function take(node: RandomStreamSource, ctx: QueryContext, count: number): Promise<Block[]> {
  const out: Block[] = [];
  if (count === 0) return out;
  for await (const b of node.run(ctx)) {
    out.push(b);
    if (out.length === count) break;
  }
  return out;
}

/** Every block of a read that ends by itself. */
async function all(node: RandomStreamSource, ctx: QueryContext): Promise<Block[]> {
  const out: Block[] = [];
  for await (const b of node.run(ctx)) out.push(b);
  return out;
}

function values(b: Block, name: string): Value[] {
  const i = b.header.findIndex((c) => c.name === name);
  return Array.from({ length: b.rows }, (_, r) => readValue(b.header[i]!.type, b.columns[i]!, r));
}

const DEVICES = "CREATE RANDOM STREAM devices(device string default 'device'||to_string(rand()%4), temperature float default rand()%1000/10) SETTINGS eps=1000";

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-random-'));
  engine = new Engine({ dataDir, timezone: 'UTC' });
  await engine.start();
  session = engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
});

afterEach(async () => {
  session.close();
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('random stream schedule', () => {
  it('spreads eps over the batches of each second, the first carrying the remainder (Proton: eps 2000, interval 80 ms)', () => {
    const s = new RandomSchedule(2000, 80, 0, 65409);
    const batches = Array.from({ length: 24 }, () => s.next());
    expect(batches.map((b) => b.rows)).toEqual([174, ...Array(11).fill(166), 174, ...Array(11).fill(166)]);
    expect(batches.slice(0, 12).reduce((n, b) => n + b.rows, 0)).toBe(2000);
    // 12 batches a second: the first lasts 80 + 1000 % 80 = 120 ms, the others 80 ms.
    expect(batches.slice(0, 4).map((b) => b.dueMs)).toEqual([0, 120, 200, 280]);
    expect(batches[12]!.dueMs).toBe(1000);
  });

  it('defaults to 5 ms batches; fractional eps gives one row per 1000/eps ms; 0 is unlimited', () => {
    const even = new RandomSchedule(1000, 5, 0, 10);
    const b = Array.from({ length: 400 }, () => even.next());
    expect(new Set(b.map((x) => x.rows))).toEqual(new Set([5]));
    expect(b[200]!.dueMs).toBe(1000);
    const slow = new RandomSchedule(0.5, 5, 0, 10);
    expect([slow.next(), slow.next(), slow.next()]).toEqual([
      { rows: 1, dueMs: 0 },
      { rows: 1, dueMs: 2000 },
      { rows: 1, dueMs: 4000 },
    ]);
    const fast = new RandomSchedule(0, 5, 7, 4096);
    expect(fast.mode).toBe('unlimited');
    expect(fast.next()).toEqual({ rows: 4096, dueMs: 7 });
    // eps below the batch count: the whole second's rows come in its first batch.
    const sparse = new RandomSchedule(10, 5, 0, 10);
    const c = Array.from({ length: 200 }, () => sparse.next());
    expect(c[0]!.rows).toBe(10);
    expect(c.slice(1).every((x) => x.rows === 0)).toBe(true);
  });

  it('validates the stream settings', () => {
    expect(randomStreamSettings({})).toEqual({ eps: 1000, intervalMs: 5, shards: 1 });
    expect(randomStreamSettings({ eps: '0.5', interval_time: '200', shards: '2' })).toEqual({ eps: 0.5, intervalMs: 200, shards: 2 });
    expect(() => randomStreamSettings({ interval_time: '0' })).toThrow(/interval_time/);
    expect(() => randomStreamSettings({ interval_time: '1001' })).toThrow(/interval_time/);
    expect(() => randomStreamSettings({ eps: '-1' })).toThrow(/eps/);
    expect(() => randomStreamSettings({ eps: 'fast' })).toThrow(/eps/);
    expect(() => randomStreamSettings({ shards: '0' })).toThrow(/shards/);
    expect(() => randomStreamSettings({ speed: '1' })).toThrow(/Unknown setting speed/);
    expect(randomStreamSettings({ event_time_column: 'now64(3)', format_csv_delimiter: ';' })).toEqual({ eps: 1000, intervalMs: 5, shards: 1 });
  });
});

describe('RandomStreamSource', () => {
  it('streams batches that add up to eps per second, paced by the clock', async () => {
    const entry = await createRandom("CREATE RANDOM STREAM r(v int default rand()) SETTINGS eps=2000, interval_time=80");
    const clock = new FakeClock();
    const node = new RandomStreamSource(entry, plannerEnv(), { streaming: true, clock });
    expect(node.unbounded).toBe(true);
    const blocks = await take(node, queryContext(), 13);
    expect(blocks.map((b) => b.rows)).toEqual([174, ...Array(11).fill(166), 174]);
    expect(blocks.slice(0, 12).reduce((n, b) => n + b.rows, 0)).toBe(2000);
    // The first batch is due at once; each later one waited for its slot.
    expect(clock.wakeups.slice(0, 3)).toEqual([1120, 1200, 1280]);
    expect(clock.t).toBe(2000);
  });

  it('splits a batch larger than max_block_size and stops after max_events', async () => {
    const entry = await createRandom('CREATE RANDOM STREAM r(v int) SETTINGS eps=100000, interval_time=100');
    const node = new RandomStreamSource(entry, plannerEnv(), { streaming: true, clock: new FakeClock() });
    const blocks = await all(node, queryContext({ max_events: '25000' }, 4096));
    // 10 batches a second of 10,000 rows, in blocks of at most 4096.
    expect(blocks.map((b) => b.rows)).toEqual([4096, 4096, 1808, 4096, 4096, 1808, 4096, 904]);
    const unlimited = new RandomStreamSource(entry, plannerEnv(), { streaming: true, clock: new FakeClock() });
    const fast = await all(unlimited, queryContext({ eps: '0', max_events: '10000' }, 4096));
    expect(fast.map((b) => b.rows)).toEqual([4096, 4096, 1808]);
  });

  it('takes eps from the query settings when given (eps = 0.5: one row every 2 s)', async () => {
    const entry = await createRandom(DEVICES);
    const clock = new FakeClock();
    const node = new RandomStreamSource(entry, plannerEnv(), { streaming: true, clock });
    const blocks = await take(node, queryContext({ eps: '0.5' }), 3);
    expect(blocks.map((b) => b.rows)).toEqual([1, 1, 1]);
    expect(clock.wakeups).toEqual([3000, 5000]);
  });

  it('evaluates each DEFAULT per row, with the declared types, and _tp_time at generation', async () => {
    const entry = await createRandom(DEVICES);
    const node = planRandomStream(entry, plannerEnv(), undefined, true);
    expect(node.header.map((c) => `${c.name} ${c.type.name}`)).toEqual(['device String', 'temperature Float32', "_tp_time DateTime64(3, 'UTC')", '_tp_sn Int64', '_tp_shard Int32']);
    expect([...node.hiddenColumns].sort()).toEqual(['_tp_shard', '_tp_sn', '_tp_time']);
    const before = Date.now();
    const [block] = await take(node, queryContext(), 1);
    const after = Date.now();
    expect(block!.rows).toBe(5); // eps 1000 in 5 ms batches
    const more = await take(planRandomStream(entry, plannerEnv(), undefined, false), queryContext({ max_events: '2000' }), 1);
    const devices = values(more[0]!, 'device') as string[];
    expect(devices).toHaveLength(2000);
    expect(new Set(devices)).toEqual(new Set(['device0', 'device1', 'device2', 'device3']));
    const temps = values(more[0]!, 'temperature') as number[];
    expect(new Set(temps).size).toBeGreaterThan(100);
    expect(temps.every((t) => t >= 0 && t < 100)).toBe(true);
    const times = values(block!, '_tp_time') as number[];
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(after);
    }
  });

  it('orders defaults by what they read; a cycle is refused at CREATE', async () => {
    const entry = await createRandom('CREATE RANDOM STREAM r(b int64 default a * 2, a int32 default rand() % 1000, c string default to_string(b))');
    const node = planRandomStream(entry, plannerEnv(), ['c', 'a'], false);
    const [block] = await take(node, queryContext({}, 500), 1);
    const a = values(block!, 'a') as number[];
    const c = values(block!, 'c') as string[];
    expect(c).toEqual(a.map((x) => String(x * 2)));
    const e = await errorOf('CREATE RANDOM STREAM bad(a int default b + 1, b int default a + 1)');
    expect(e.code).toBe(174);
    expect(engine.catalog.table('default', 'bad')).toBeUndefined();
  });

  it("computes _tp_time from event_time_column like any default (after the column it reads)", async () => {
    const entry = await createRandom("CREATE RANDOM STREAM r(t datetime64(3, 'UTC') default to_datetime64('2024-01-01 00:00:00', 3, 'UTC') + rand() % 1000) SETTINGS event_time_column = 't'");
    const [block] = await all(planRandomStream(entry, plannerEnv(), ['_tp_time', 't'], false), queryContext({}, 100));
    const t = values(block!, 't');
    expect(values(block!, '_tp_time')).toEqual(t);
    expect(new Set(t).size).toBeGreaterThan(10);
  });

  it('generates only the columns the query uses (and what their defaults read)', async () => {
    const entry = await createRandom('CREATE RANDOM STREAM r(a int32 default rand(), b int64 default a + 1, s string)');
    const node = planRandomStream(entry, plannerEnv(), undefined, false);
    node.used.add('b');
    const [block] = await take(node, queryContext({}, 100), 1);
    expect(block!.columns.map((c) => c.kind)).toEqual(['nothing', 'numeric', 'nothing', 'nothing', 'nothing', 'nothing']);
    expect(node.describe()).toBe('ReadFromRandomStream default.r (b; historical)');
  });

  it('fills columns without DEFAULT with random values of their type', async () => {
    const types =
      "i8 int8, u64 uint64, i128 int128, f64 float64, b bool, d date, d32 date32, dt datetime, dt64 datetime64(6), dec decimal(5, 2), dec38 decimal(30, 4), " +
      "s string, fs fixed_string(3), u uuid, ip4 ipv4, ip6 ipv6, e enum8('a' = 1, 'b' = 2), n nullable(uint8), lc low_cardinality(string), " +
      'arr array(nullable(string)), t tuple(int8, string), m map(string, int32)';
    const entry = await createRandom(`CREATE RANDOM STREAM r(${types})`);
    const node = planRandomStream(entry, plannerEnv(), undefined, false);
    const [block] = await take(node, queryContext({}, 2000), 1);
    expect(block!.rows).toBe(2000);
    // Every value prints (so every value is valid for its type).
    for (let c = 0; c < block!.header.length; c++) {
      for (let r = 0; r < block!.rows; r++) formatValueText(block!.header[c]!.type, block!.columns[c]!, r, 'UTC');
    }
    expect(new Set(values(block!, 'e'))).toEqual(new Set([1, 2]));
    expect(new Set(values(block!, 'b'))).toEqual(new Set([true, false]));
    const s = values(block!, 's') as string[];
    expect(s.every((x) => x.length <= 20 && /^[\x20-\x7e]*$/.test(x))).toBe(true);
    expect(new Set(s).size).toBeGreaterThan(1700); // ~1/21 are empty, short ones repeat
    const n = values(block!, 'n');
    expect(n.filter((x) => x === null).length).toBeGreaterThan(50); // about 1 in 16
    expect(n.filter((x) => x !== null).length).toBeGreaterThan(1500);
    const dec = block!.columns[block!.header.findIndex((h) => h.name === 'dec')]!;
    expect(dec.kind === 'numeric' && Array.from(dec.data as Int32Array).every((v) => Math.abs(v) <= 99999)).toBe(true);
    const d32 = values(block!, 'd32') as number[];
    expect(d32.every((v) => v >= -25567 && v <= 120529)).toBe(true);
    // Nullable's inner column holds the default at NULL rows.
    const col = randomColumn(parseDataType('Nullable(String)'), 1000, new RandomGenerator());
    if (col.kind !== 'nullable' || col.inner.kind !== 'string') throw new Error('expected Nullable(String)');
    for (let i = 0; i < 1000; i++) if (col.nulls[i]) expect(col.inner.byteLength(i)).toBe(0);
  });

  it('gives the virtual columns _tp_sn (block number per shard) and _tp_shard', async () => {
    const entry = await createRandom('CREATE RANDOM STREAM r(v int default 1) SETTINGS eps=2, interval_time=500');
    const node = new RandomStreamSource(entry, plannerEnv(), { streaming: true, columns: ['_tp_sn', '_tp_shard', 'v'], clock: new FakeClock() });
    const blocks = await take(node, queryContext(), 2);
    expect(blocks.map((b) => values(b, '_tp_sn'))).toEqual([[1n], [2n]]);
    expect(values(blocks[0]!, '_tp_shard')).toEqual([0]);
    expect(() => planRandomStream(entry, plannerEnv(), ['nope'], true)).toThrow(/no column nope/);
  });

  it('splits eps and max_events over shards as Proton does', async () => {
    const settings = randomStreamSettings({ eps: '10', shards: '10' });
    expect(shardPlans(settings, 10, 0, true, 100).map((p) => [p.shard, p.eps, p.total])).toEqual(Array.from({ length: 10 }, (_, i) => [i, 1, 0]));
    expect(shardPlans(settings, 25, 0, true, 100).map((p) => p.eps)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 7]);
    expect(shardPlans(settings, 5, 0, true, 100)).toEqual([{ shard: 0, eps: 5, intervalMs: 1000, total: 0 }]);
    expect(shardPlans(settings, 0, 25, true, 100).map((p) => p.total)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 7]);
    expect(shardPlans(settings, 0, 5, true, 100)).toEqual([{ shard: 9, eps: 0, intervalMs: 1000, total: 5 }]);
    expect(shardPlans(settings, 10, 0, false, 100).map((p) => p.total)).toEqual(Array(10).fill(100));
    // Ten shards at 1 row a second each: the first ten rows come one from each shard.
    const entry = await createRandom('CREATE RANDOM STREAM r(v int) SETTINGS eps=10, shards=10');
    const node = new RandomStreamSource(entry, plannerEnv(), { streaming: true, clock: new FakeClock() });
    const first = await take(node, queryContext(), 11);
    expect(first.map((b) => values(b, '_tp_shard')[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    expect(first.map((b) => values(b, '_tp_sn')[0])).toEqual([...Array(10).fill(1n), 2n]);
    const hist = await all(planRandomStream(entry, plannerEnv(), undefined, false), queryContext({ max_events: '1000' }));
    expect(hist.reduce((n, b) => n + b.rows, 0)).toBe(1000);
    expect(new Set(hist.flatMap((b) => values(b, '_tp_shard'))).size).toBe(10);
  });

  it('ENGINE = Random(seed) repeats the random columns', async () => {
    const entry = await createRandom('CREATE RANDOM STREAM r(s string, n nullable(int64), d uint32 default rand()) ENGINE = Random(42)');
    const read = async () => (await all(planRandomStream(entry, plannerEnv(), ['s', 'n'], false), queryContext({}, 300))).flatMap((b) => [...values(b, 's'), ...values(b, 'n')]);
    expect(await read()).toEqual(await read());
    const [[create]] = (await run('SHOW CREATE STREAM r')) as [[string]];
    expect(create).toContain('ENGINE = Random(42)');
    expect((await errorOf("CREATE RANDOM STREAM r2(s string) ENGINE = Random('x')")).errorName).toBe('BAD_ARGUMENTS');
  });

  it('a historical read is one bounded block of max_block_size rows (or max_events)', async () => {
    const entry = await createRandom(DEVICES);
    const node = planRandomStream(entry, plannerEnv(), undefined, false);
    expect(node.unbounded).toBe(false);
    expect((await all(node, queryContext({}, 1000))).map((b) => b.rows)).toEqual([1000]);
    expect((await all(node, queryContext({ max_events: '2500' }, 1000))).map((b) => b.rows)).toEqual([1000, 1000, 500]);
  });

  it('ends promptly with QUERY_WAS_CANCELLED when the query is aborted while it waits', async () => {
    const entry = await createRandom('CREATE RANDOM STREAM r(v int default rand()) SETTINGS eps=0.001');
    const node = planRandomStream(entry, plannerEnv(), undefined, true);
    const ac = new AbortController();
    const it = node.run(queryContext({}, 65409, ac.signal))[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    // The next row is 1000 s away (real clock): the abort must end the wait.
    const pending = it.next();
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 394 });
  });
});

describe('CREATE / SHOW CREATE / DROP RANDOM STREAM', () => {
  it('creates a catalog entry without storage, shown by SHOW CREATE and system.tables', async () => {
    await run(DEVICES);
    const entry = engine.catalog.requireTable('default', 'devices');
    expect(entry.kind).toBe('random_stream');
    expect(entry.engine).toBe('Random');
    expect(entry.storage).toBeUndefined();
    expect(existsSync(path.join(dataDir, 'store', entry.uuid))).toBe(false);
    const [[create]] = (await run('SHOW CREATE STREAM devices')) as [[string]];
    expect(create).toContain('CREATE RANDOM STREAM default.devices');
    expect(create).toContain("`device` String DEFAULT 'device' || to_string(rand() % 4)");
    expect(create).toContain('`_tp_time`');
    expect(create).toContain('SETTINGS eps = 1000');
    expect(create).not.toContain('ORDER BY');
    expect(await run("SELECT engine FROM system.tables WHERE database = 'default' AND name = 'devices'")).toEqual([['Random']]);
    expect(await run('SHOW STREAMS')).toEqual([['devices']]);
    expect((await run('DESCRIBE devices')).map((r) => r.slice(0, 2))).toEqual([
      ['device', 'String'],
      ['temperature', 'Float32'],
    ]);
  });

  it('survives a restart and drops', async () => {
    await run(DEVICES);
    session.close();
    await engine.stop();
    engine = new Engine({ dataDir, timezone: 'UTC' });
    await engine.start();
    session = engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
    const entry = engine.catalog.requireTable('default', 'devices');
    expect(entry.kind).toBe('random_stream');
    expect(entry.storage).toBeUndefined();
    expect(existsSync(path.join(dataDir, 'store')) ? readdirSync(path.join(dataDir, 'store')) : []).toEqual([]);
    const [block] = await take(planRandomStream(entry, plannerEnv(), undefined, false), queryContext({}, 10), 1);
    expect(block!.rows).toBe(10);
    await run('DROP STREAM devices');
    expect(engine.catalog.table('default', 'devices')).toBeUndefined();
    expect((await errorOf('DROP STREAM devices')).code).toBe(60);
    await run('DROP STREAM IF EXISTS devices');
  });

  it('refuses bad settings, bad defaults, AS SELECT and INSERT with ClickHouse errors', async () => {
    expect((await errorOf('CREATE RANDOM STREAM r(v int) SETTINGS interval_time = 0')).code).toBe(471);
    expect((await errorOf('CREATE RANDOM STREAM r(v int) SETTINGS eps = -3')).code).toBe(471);
    expect((await errorOf('CREATE RANDOM STREAM r(v int) SETTINGS shards = 0')).code).toBe(471);
    expect((await errorOf('CREATE RANDOM STREAM r(v int) SETTINGS frobnicate = 1')).code).toBe(115);
    expect((await errorOf('CREATE RANDOM STREAM r(v int default no_such_function(1))')).code).toBe(46);
    expect((await errorOf('CREATE RANDOM STREAM r(v int default w)')).code).toBe(47);
    expect((await errorOf('CREATE RANDOM STREAM r AS SELECT 1 AS v')).code).toBe(80);
    expect(engine.catalog.table('default', 'r')).toBeUndefined();
    await run(DEVICES);
    const e = await errorOf("INSERT INTO devices(device) VALUES ('x')");
    expect(e.errorName).toBe('TABLE_IS_READ_ONLY');
    // The query-level settings a random stream read takes are known settings.
    expect(await run('SELECT 1', { eps: '0.5', max_events: '10' })).toEqual([['1']]);
  });

  it('ALTER … MODIFY SETTING is validated like CREATE', async () => {
    await run(DEVICES);
    await run('ALTER STREAM devices MODIFY SETTING eps = 10');
    expect(engine.catalog.requireTable('default', 'devices').settings['eps']).toBe('10');
    expect((await errorOf('ALTER STREAM devices MODIFY SETTING interval_time = 5000')).code).toBe(471);
    expect(engine.catalog.requireTable('default', 'devices').settings['interval_time']).toBeUndefined();
  });
});

describe('random_in_type', () => {
  it("converts a random id to every type Proton's smoke test names", async () => {
    const [a] = await run(
      "select random_in_type('bool'), random_in_type('int8'), random_in_type('int16'), random_in_type('int32'), random_in_type('int64'), random_in_type('int128'), random_in_type('int256'), random_in_type('uint8'), random_in_type('uint16'), random_in_type('uint32'), random_in_type('uint64'), random_in_type('uint128'), random_in_type('uint256')",
    );
    expect(a).toHaveLength(13);
    const [b] = await run(
      "select random_in_type('string'), random_in_type('fixed_string(3)'), random_in_type('date'), random_in_type('date32', 100), random_in_type('datetime32'), random_in_type('datetime64(3)', 100), random_in_type('float32'), random_in_type('float64'), random_in_type('decimal32(3)'), random_in_type('decimal64(3)'), random_in_type('decimal128(9)'), random_in_type('decimal256(9)'), random_in_type('uuid'), random_in_type('ipv4'), random_in_type('ipv6')",
    );
    expect(b).toHaveLength(15);
    expect(await run("select to_type_name(random_in_type('decimal(9,4)')), to_type_name(random_in_type('uint8', x -> to_uint8(x + 10)))")).toEqual([['Decimal(9, 4)', 'UInt8']]);
  });

  it('draws from num_of_uniques ids, through the lambda when given', async () => {
    expect(await run("select uniq_exact(random_in_type('int8', 5)) from numbers(2000)")).toEqual([['5']]);
    expect(await run("select uniq_exact(v), min(v), max(v) from (select random_in_type('uint8', x -> to_uint8(x + 10), 5) as v from numbers(2000))")).toEqual([['5', '10', '14']]);
    expect(await run("select min(v) >= 10 and max(v) < 15 from (select random_in_type('uint8', 5, x -> to_uint8(x + 10)) as v from numbers(100))")).toEqual([['1']]);
    expect(await run("select uniq_exact(random_in_type('uint64')) from numbers(1000)")).toEqual([['1000']]);
  });

  it('refuses bad arguments with ClickHouse errors', async () => {
    expect((await errorOf("select random_in_type('uint8', x -> x)")).errorName).toBe('ILLEGAL_TYPE_OF_ARGUMENT');
    expect((await errorOf("select random_in_type('uint8', 0)")).errorName).toBe('BAD_ARGUMENTS');
    expect((await errorOf("select random_in_type('array(int8)')")).errorName).toBe('BAD_ARGUMENTS');
    expect((await errorOf('select random_in_type(1)')).errorName).toBe('ILLEGAL_TYPE_OF_ARGUMENT');
    expect((await errorOf('select random_in_type()')).errorName).toBe('NUMBER_OF_ARGUMENTS_DOESNT_MATCH');
  });

  it('works as a random stream default', async () => {
    const entry = await createRandom("CREATE RANDOM STREAM r(id uint8 default random_in_type('uint8', x -> to_uint8(x + 10), 5), s string default random_in_type('string'))");
    const [block] = await all(planRandomStream(entry, plannerEnv(), ['id', 's'], false), queryContext({}, 1000));
    const ids = values(block!, 'id') as number[];
    expect(new Set(ids)).toEqual(new Set([10, 11, 12, 13, 14]));
    expect((values(block!, 's') as string[]).length).toBe(1000);
  });
});
