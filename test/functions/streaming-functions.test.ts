import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { defaultRegistry } from '../../src/functions/index.js';
import { columnFromValues, columnValues } from '../../src/columns/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { col, ctx, fn } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Runs a query over HTTP and returns its TabSeparated lines. */
async function rows(sql: string): Promise<string[]> {
  const body = await server.query(sql, { default_format: 'TabSeparated' });
  return body.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '');
}

/** The ClickHouse error name a query fails with. */
async function errorOf(sql: string): Promise<string> {
  const r = await server.raw(sql);
  expect(r.headers.get('x-clickhouse-exception-code'), r.body).not.toBeNull();
  return /\(([A-Z_]+)\)/.exec(r.body)?.[1] ?? r.body;
}

describe('lag', () => {
  it('lags over rows in the order they flow, the type default before the first', async () => {
    expect(await rows('SELECT number, lag(number) FROM numbers(5)')).toEqual(['0\t0', '1\t0', '2\t1', '3\t2', '4\t3']);
    expect(await rows("SELECT lag(toString(number)), lag(number + 0.5) FROM numbers(3)")).toEqual(['\t0', '0\t0.5', '1\t1.5']);
  });

  it('keeps its history across blocks', async () => {
    const want = ['0\t100\t0', '1\t100\t0', '2\t0\t1', '3\t1\t2', '4\t2\t3', '5\t3\t4', '6\t4\t5'];
    for (const size of [1, 2, 3, 100]) {
      expect(await rows(`SELECT number, lag(number, 2, 100), lag(number, 1) FROM numbers(7) SETTINGS max_block_size = ${size}`), `max_block_size ${size}`).toEqual(want);
    }
  });

  it('takes the default per row, of the common type (NULL makes it Nullable)', async () => {
    expect(await rows('SELECT lag(number, 1, number * 10) FROM numbers(3)')).toEqual(['0', '0', '1']);
    expect(await rows('SELECT lag(number, 2, number * 10) FROM numbers(3) SETTINGS max_block_size = 1')).toEqual(['0', '10', '0']);
    expect(await rows("SELECT lag(number, 1, NULL), toTypeName(lag(number, 1, NULL)) FROM numbers(2)")).toEqual(['\\N\tNullable(UInt64)', '0\tNullable(UInt64)']);
    expect(await rows("SELECT lag(toUInt8(number), 1, -1), toTypeName(lag(toUInt8(number), 1, -1)) FROM numbers(2)")).toEqual(['-1\tInt16', '0\tInt16']);
    expect(await rows("SELECT lag(s) FROM (SELECT arrayJoin(['a', NULL, 'c']) AS s)")).toEqual(['\\N', 'a', '\\N']);
  });

  it('works for every kind of column, with each type\'s default', async () => {
    expect(await rows('SELECT lag([number]), lag((number, toString(number))), lag(map(number, 1)), lags([number], 1, 2, [9]) FROM numbers(3) SETTINGS max_block_size = 1')).toEqual([
      "[]\t(0,'')\t{}\t[[9],[9]]",
      "[0]\t(0,'0')\t{0:1}\t[[0],[9]]",
      "[1]\t(1,'1')\t{1:1}\t[[1],[0]]",
    ]);
    expect(await rows("SELECT lag(toDecimal32(number, 2)), lag(toDateTime64(number, 3)), lag(toFixedString(toString(number), 1)), lag(CAST(number % 2 + 1, 'Enum8(\\'a\\' = 1, \\'b\\' = 2)')) FROM numbers(3)")).toEqual([
      '0\t1970-01-01 00:00:00.000\t\\0\ta',
      '0\t1970-01-01 00:00:00.000\t0\ta',
      '1\t1970-01-01 00:00:01.000\t1\tb',
    ]);
  });

  it('lags over the rows that reach it (after WHERE), with an offset beyond the rows seen', async () => {
    expect(await rows('SELECT number, lag(number) FROM numbers(10) WHERE number % 3 = 0')).toEqual(['0\t0', '3\t0', '6\t3', '9\t6']);
    expect(await rows('SELECT lag(number, 5) FROM numbers(3)')).toEqual(['0', '0', '0']);
    expect(await rows('SELECT lag(1) FROM numbers(3)')).toEqual(['0', '1', '1']);
  });

  it('each query starts afresh; each call site has its own history', async () => {
    const q = 'SELECT lag(number) FROM numbers(3)';
    expect(await rows(q)).toEqual(['0', '0', '1']);
    expect(await rows(q)).toEqual(['0', '0', '1']);
    expect(await rows('SELECT lag(number), lag(number, 1, 0), lag(number) + 1 FROM numbers(3)')).toEqual(['0\t0\t1', '0\t0\t1', '1\t1\t2']);
  });

  it('lag(...) OVER (...) is still the window function', async () => {
    expect(await rows('SELECT number, lag(number) OVER (ORDER BY number DESC) FROM numbers(3) ORDER BY number')).toEqual(['0\t1', '1\t2', '2\t\\N']);
    expect(defaultRegistry().getWindow('lag')).toBeDefined();
    expect(defaultRegistry().getScalar('lag')).toBeDefined();
    expect(await rows("SELECT name, is_aggregate FROM system.functions WHERE name IN ('lag', 'lags', 'date_diff_within', 'earliest_ts') ORDER BY name")).toEqual([
      'date_diff_within\t0',
      'earliest_ts\t0',
      'lag\t0',
      'lags\t0',
    ]);
  });

  it('rejects bad offsets as Proton does', async () => {
    expect(await errorOf('SELECT lag(number, 0) FROM numbers(3)')).toBe('ARGUMENT_OUT_OF_BOUND');
    expect(await errorOf('SELECT lag(number, 1073741825) FROM numbers(3)')).toBe('ARGUMENT_OUT_OF_BOUND');
    expect(await errorOf('SELECT lag(number, number) FROM numbers(3)')).toBe('ILLEGAL_COLUMN');
    expect(await errorOf("SELECT lag(number, 'a') FROM numbers(3)")).toBe('ILLEGAL_TYPE_OF_ARGUMENT');
    expect(await errorOf('SELECT lag(number, 1, 2, 3) FROM numbers(3)')).toBe('NUMBER_OF_ARGUMENTS_DOESNT_MATCH');
    expect(await errorOf('SELECT lag() FROM numbers(3)')).toBe('NUMBER_OF_ARGUMENTS_DOESNT_MATCH');
    expect(await errorOf("SELECT lag(number, 1, 'x') FROM numbers(3)")).toBe('NO_COMMON_TYPE');
  });
});

describe('lags', () => {
  it('returns the values from_offset..to_offset rows back, nearest first', async () => {
    // Proton's own example: 10, 20 | 30, 40 in two blocks.
    expect(await rows('SELECT (number + 1) * 10 AS c1, lags(c1, 1, 3) FROM numbers(4) SETTINGS max_block_size = 2')).toEqual([
      '10\t[0,0,0]',
      '20\t[10,0,0]',
      '30\t[20,10,0]',
      '40\t[30,20,10]',
    ]);
    expect(await rows('SELECT lags(number, 2, 3, 99) FROM numbers(5) SETTINGS max_block_size = 1')).toEqual(['[99,99]', '[99,99]', '[0,99]', '[1,0]', '[2,1]']);
    expect(await rows("SELECT lags(toString(number), 1, 1, '-'), toTypeName(lags(toString(number), 1, 1, '-')) FROM numbers(2)")).toEqual([
      "['-']\tArray(String)",
      "['0']\tArray(String)",
    ]);
  });
  it('rejects bad offsets', async () => {
    expect(await errorOf('SELECT lags(number, 3, 2) FROM numbers(3)')).toBe('ARGUMENT_OUT_OF_BOUND');
    expect(await errorOf('SELECT lags(number, 0, 2) FROM numbers(3)')).toBe('ARGUMENT_OUT_OF_BOUND');
    expect(await errorOf('SELECT lags(number, 1) FROM numbers(3)')).toBe('NUMBER_OF_ARGUMENTS_DOESNT_MATCH');
  });
});

describe('date_diff_within', () => {
  it('is |t1 - t2| <= interval, in either order', async () => {
    const t = (s: string) => `toDateTime('2024-01-01 00:00:${s}')`;
    expect(await rows(`SELECT date_diff_within(10s, ${t('00')}, ${t('10')}), date_diff_within(10s, ${t('11')}, ${t('00')}), date_diff_within(INTERVAL 10 SECOND, ${t('11')}, ${t('01')})`)).toEqual([
      'true\tfalse\ttrue',
    ]);
    expect(await rows('SELECT number, date_diff_within(2s, toDateTime(0), toDateTime(number)) FROM numbers(4)')).toEqual(['0\ttrue', '1\ttrue', '2\ttrue', '3\tfalse']);
  });
  it('compares DateTime64 to the tick, and mixes Date, DateTime and DateTime64', async () => {
    const t = (s: string) => `toDateTime64('2024-01-01 00:00:${s}', 3)`;
    expect(await rows(`SELECT date_diff_within(500ms, ${t('00.100')}, ${t('00.600')}), date_diff_within(500ms, ${t('00.100')}, ${t('00.601')})`)).toEqual(['true\tfalse']);
    expect(await rows(`SELECT date_diff_within(1s, toDateTime('2024-01-01 00:00:01'), ${t('00.000')}), date_diff_within(1s, toDateTime('2024-01-01 00:00:01'), ${t('00.999')})`)).toEqual(['true\ttrue']);
    expect(await rows("SELECT date_diff_within(1d, toDate('2024-01-02'), toDateTime('2024-01-01 00:00:00')), date_diff_within(2m, toDate('2024-01-02'), toDateTime('2024-01-01 23:57:59'))")).toEqual(['true\tfalse']);
  });
  it('gives NULL for NULL times', async () => {
    expect(await rows('SELECT date_diff_within(1s, toDateTime(0), CAST(NULL, \'Nullable(DateTime)\'))')).toEqual(['\\N']);
  });
  it('rejects what Proton rejects', async () => {
    expect(await errorOf('SELECT date_diff_within(10s)')).toBe('NUMBER_OF_ARGUMENTS_DOESNT_MATCH');
    expect(await errorOf('SELECT date_diff_within(10, now(), now())')).toBe('ILLEGAL_TYPE_OF_ARGUMENT');
    expect(await errorOf('SELECT date_diff_within(INTERVAL 1 MONTH, now(), now())')).toBe('ILLEGAL_TYPE_OF_ARGUMENT');
    expect(await errorOf('SELECT date_diff_within(10s, 1, 2)')).toBe('ILLEGAL_TYPE_OF_ARGUMENT');
    expect(await errorOf('SELECT date_diff_within(INTERVAL -1 SECOND, now(), now())')).toBe('BAD_ARGUMENTS');
  });
});

describe('earliest_timestamp', () => {
  it('is the epoch as a DateTime, in a timezone when given', async () => {
    expect(await rows("SELECT earliest_timestamp(), earliest_ts('Asia/Tokyo'), toTypeName(earliest_ts('Asia/Tokyo')), toUnixTimestamp(EARLIEST_TS())")).toEqual([
      "1970-01-01 00:00:00\t1970-01-01 09:00:00\tDateTime(\\'Asia/Tokyo\\')\t0", // TSV escapes the quotes
    ]);
    expect(await rows('SELECT count() FROM numbers(3) WHERE toDateTime(number) >= earliest_timestamp()')).toEqual(['3']);
  });
});

describe('monotonic', () => {
  it('counts up from its constant integer start across blocks; a float or string start is refused', async () => {
    expect(await rows('SELECT number, monotonic(100) FROM numbers(4) SETTINGS max_block_size = 3')).toEqual(['0\t100', '1\t101', '2\t102', '3\t103']);
    // Proton's 0021_random_stream:24: 1.0 is a Float64 literal (as in ClickHouse), not an integer.
    expect(await errorOf('SELECT monotonic(1.0)')).toBe('BAD_ARGUMENTS');
    expect(await errorOf("SELECT monotonic('1')")).toBe('BAD_ARGUMENTS');
  });
});

describe('latest / earliest', () => {
  it('are the last / first value by arrival, per group and across blocks', async () => {
    expect(await rows('SELECT number % 3 AS k, latest(number), earliest(number) FROM numbers(10) GROUP BY k ORDER BY k SETTINGS max_block_size = 4')).toEqual([
      '0\t9\t0',
      '1\t7\t1',
      '2\t8\t2',
    ]);
    expect(await rows("SELECT latest(toString(number)), earliest(toString(number)), latest(number / 2) FROM numbers(5)")).toEqual(['4\t0\t2']);
    expect(await rows('SELECT latest(x), earliest(x) FROM (SELECT arrayJoin([NULL, 1, 2, NULL]) AS x)')).toEqual(['2\t1']);
  });
  it('merge their states in order: -State / -Merge', async () => {
    expect(await rows('SELECT latestMerge(s), earliestMerge(e) FROM (SELECT latestState(number) AS s, earliestState(number) AS e FROM numbers(5))')).toEqual(['4\t0']);
    expect(await rows('SELECT finalizeAggregation(latestState(number)) FROM numbers(3)')).toEqual(['2']);
  });
  it('checkpoint round trip: getState / serializeState / mergeState', () => {
    const reg = defaultRegistry();
    for (const [name, want] of [['latest', [30n, 3n]], ['earliest', [10n, 1n]]] as const) {
      const t = parseDataType('UInt64');
      const f = reg.resolveAggregate(name, [], [t], ctx);
      const a = f.createStates();
      a.resize(2);
      a.add(Uint32Array.of(0, 1, 0), [columnFromValues(t, [10n, 1n, 20n])], 3);
      const b = f.createStates();
      b.resize(2);
      b.add(Uint32Array.of(0, 1), [columnFromValues(t, [30n, 3n])], 2);
      // a then b, as they arrived: restore a from bytes, merge b's serialized states into it.
      const restored = f.createStates();
      restored.resize(2);
      for (const g of [0, 1]) restored.mergeState(g, restored.deserializeState(a.serializeState(g)));
      for (const g of [0, 1]) restored.mergeState(g, b.deserializeState(b.serializeState(g)));
      expect(columnValues(f.returnType, restored.finalize(2)), name).toEqual(want);
      // mergeFrom does the same without bytes
      a.mergeFrom(b, 0, 0);
      a.mergeFrom(b, 1, 1);
      expect(columnValues(f.returnType, a.finalize(2)), name).toEqual(want);
    }
  });
});

describe('over streams', () => {
  it('lag, lags and latest over a stream read from its beginning (earliest_ts() folds to a time bound)', async () => {
    await server.query('CREATE STREAM sf_lag (x int32, k string)');
    await server.query("INSERT INTO sf_lag (x, k) VALUES (1, 'a'), (2, 'b')");
    expect(await rows('SELECT isConstant(earliest_ts())')).toEqual(['1']);
    // A streaming query: history first, then rows appended while it runs (each insert its own block); LIMIT ends it.
    const running = rows('SELECT x, lag(x), lags(x, 1, 2) FROM sf_lag WHERE _tp_time >= earliest_ts() LIMIT 4');
    await server.query("INSERT INTO sf_lag (x, k) VALUES (3, 'a')");
    await server.query("INSERT INTO sf_lag (x, k) VALUES (4, 'c')");
    expect(await running).toEqual(['1\t0\t[0,0]', '2\t1\t[1,0]', '3\t2\t[2,1]', '4\t3\t[3,2]']);
    expect(await rows('SELECT x, lag(x) FROM table(sf_lag)')).toEqual(['1\t0', '2\t1', '3\t2', '4\t3']);
    expect(await rows('SELECT k, latest(x), earliest(x) FROM table(sf_lag) GROUP BY k ORDER BY k')).toEqual(['a\t3\t1', 'b\t2\t2', 'c\t4\t4']);
  });

  it('an aggregation over a streaming subquery sees each of its emissions whole, also under LIMIT', async () => {
    // Proton's 0007_type_and_func_case:7: LIMIT 1 must not shrink the blocks read below an aggregation, where each
    // block is an emission of its own.
    await server.query('CREATE STREAM sf_ga (id string, v string)');
    await server.query("INSERT INTO sf_ga (id, v) VALUES ('a', '1'), ('b', '2'), ('c', '3')");
    const sql = "SELECT group_array(id), group_array(lv) FROM (SELECT id, latest(v) AS lv FROM sf_ga WHERE _tp_time >= earliest_ts() GROUP BY id ORDER BY id) LIMIT 1";
    expect(await rows(sql)).toEqual(["['a','b','c']\t['1','2','3']"]);
  });

  it('table() of a CTE or a view reads its query bounded; an aggregating one is refused, as in Proton', async () => {
    // Proton's 0010_cte_case:1.
    await server.query('CREATE STREAM sf_cte (i int32)');
    await server.query('INSERT INTO sf_cte (i) VALUES (1), (2), (3)');
    expect(await rows('WITH cte AS (SELECT i + 1, to_string(i) FROM sf_cte) SELECT * FROM table(cte) ORDER BY 1')).toEqual(['2\t1', '3\t2', '4\t3']);
    expect(await errorOf('WITH cte AS (SELECT count() FROM sf_cte) SELECT * FROM table(cte)')).toBe('BAD_ARGUMENTS');
    expect(await errorOf('WITH cte AS (SELECT i FROM sf_cte GROUP BY i) SELECT * FROM table(cte)')).toBe('BAD_ARGUMENTS');
    await server.query('CREATE VIEW sf_cte_v AS SELECT i, count() FROM sf_cte GROUP BY i');
    expect(await errorOf('SELECT * FROM table(sf_cte_v)')).toBe('BAD_ARGUMENTS');
    // The aggregation over table() of a plain CTE is fine.
    expect(await rows('WITH cte AS (SELECT i FROM sf_cte) SELECT count() FROM table(cte)')).toEqual(['3']);
  });
});

describe('through the registry directly', () => {
  it('lag keeps state per resolved instance', () => {
    // fn() resolves anew per call: no history leaks between calls.
    expect(fn('lag', col('UInt8', 5, 6, 7))).toEqual([0, 5, 6]);
    expect(fn('lag', col('UInt8', 5, 6, 7))).toEqual([0, 5, 6]);
  });
});
