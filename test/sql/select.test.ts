import { describe, expect, it } from 'vitest';
import type { Expr, SelectQuery, SetOperationQuery } from '../../src/sql/index.js';
import { parse, roundTrip } from './helpers.js';

const id = (...parts: string[]): Expr => ({ kind: 'identifier', parts });
const n = (value: number): Expr => ({ kind: 'literal', value, text: String(value) });
const sel = (sql: string) => parse(sql) as SelectQuery;

describe('SELECT', () => {
  it('parses the clauses in order', () => {
    const q = sel(
      'WITH 1 AS one SELECT DISTINCT a, b AS bb, count() c FROM db.t AS x FINAL PREWHERE p WHERE w GROUP BY a, b WITH TOTALS ' +
        'HAVING h WINDOW w1 AS (PARTITION BY a) QUALIFY q ORDER BY a DESC NULLS LAST, b COLLATE \'en\' LIMIT 2 BY a LIMIT 10 OFFSET 5 ' +
        "SETTINGS max_threads = 2, mode = 'x' FORMAT JSON",
    );
    expect(q.with).toEqual([{ name: 'one', expr: n(1) }]);
    expect(q.distinct).toBe(true);
    expect(q.columns).toEqual([id('a'), { ...id('b'), alias: 'bb' }, { kind: 'function', name: 'count', args: [], alias: 'c' }]);
    expect(q.from).toEqual({ kind: 'table', database: 'db', name: 't', alias: 'x', final: true });
    expect(q.prewhere).toEqual(id('p'));
    expect(q.where).toEqual(id('w'));
    expect(q.groupBy).toEqual([id('a'), id('b')]);
    expect(q.withTotals).toBe(true);
    expect(q.having).toEqual(id('h'));
    expect(q.windows).toEqual([{ name: 'w1', spec: { partitionBy: [id('a')], orderBy: [] } }]);
    expect(q.qualify).toEqual(id('q'));
    expect(q.orderBy).toEqual([
      { expr: id('a'), direction: 'DESC', nulls: 'LAST' },
      { expr: id('b'), direction: 'ASC', collate: 'en' },
    ]);
    expect(q.limitBy).toEqual({ limit: n(2), by: [id('a')] });
    expect(q.limit).toEqual(n(10));
    expect(q.offset).toEqual(n(5));
    expect(q.settings).toEqual({ max_threads: 2, mode: 'x' });
    expect(q.format).toBe('JSON');
  });

  it('parses the LIMIT variants', () => {
    expect(sel('SELECT 1 LIMIT 5, 10')).toMatchObject({ limit: n(10), offset: n(5) });
    expect(sel('SELECT 1 ORDER BY a LIMIT 3 WITH TIES')).toMatchObject({ limit: n(3), withTies: true });
    expect(sel('SELECT 1 LIMIT 1, 2 BY x')).toMatchObject({ limitBy: { limit: n(2), offset: n(1), by: [id('x')] } });
    expect(sel('SELECT 1 ORDER BY a OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY')).toMatchObject({ limit: n(3), offset: n(2) });
    expect(sel('SELECT 1 OFFSET 4')).toMatchObject({ offset: n(4) });
    expect(sel('SELECT TOP 5 a FROM t')).toMatchObject({ top: n(5), columns: [id('a')] });
    expect(sel('SELECT DISTINCT ON (a, b) a FROM t')).toMatchObject({ distinctOn: [id('a'), id('b')] });
  });

  it('parses GROUP BY modifiers', () => {
    expect(sel('SELECT 1 GROUP BY ROLLUP(a, b)')).toMatchObject({ groupByModifier: 'ROLLUP', groupBy: [id('a'), id('b')] });
    expect(sel('SELECT 1 GROUP BY a WITH CUBE')).toMatchObject({ groupByModifier: 'CUBE', groupBy: [id('a')] });
    expect(sel('SELECT 1 GROUP BY GROUPING SETS ((a, b), a, ())')).toMatchObject({
      groupByModifier: 'GROUPING SETS',
      groupingSets: [[id('a'), id('b')], [id('a')], []],
    });
    expect(sel('SELECT 1 GROUP BY ALL')).toMatchObject({ groupByAll: true });
  });

  it('parses WITH in both forms', () => {
    const q = sel('WITH cte AS (SELECT 1), x + 1 AS y, (SELECT 2) AS z SELECT * FROM cte');
    expect(q.with![0]).toMatchObject({ name: 'cte', query: { kind: 'select' } });
    expect(q.with![1]).toEqual({ name: 'y', expr: { kind: 'function', name: 'plus', args: [id('x'), n(1)] } });
    expect(q.with![2]).toMatchObject({ name: 'z', expr: { kind: 'subquery' } });
    expect(() => parse('WITH RECURSIVE r AS (SELECT 1) SELECT 1')).toThrow(/not supported/);
  });

  it('takes bare words after an expression as aliases, but not clause keywords', () => {
    expect(sel('SELECT a b, c FROM t').columns).toEqual([{ ...id('a'), alias: 'b' }, id('c')]);
    expect(sel('SELECT a `from` FROM t').columns).toEqual([{ ...id('a'), alias: 'from' }]);
    expect(sel('SELECT a AS end FROM t').columns).toEqual([{ ...id('a'), alias: 'end' }]);
    expect(sel('SELECT a FROM t WHERE x').columns).toEqual([id('a')]);
  });
});

describe('FROM', () => {
  it('parses tables, table functions and subqueries with aliases', () => {
    expect(sel('SELECT * FROM t x').from).toEqual({ kind: 'table', name: 't', alias: 'x' });
    expect(sel('SELECT * FROM numbers(10) AS n').from).toEqual({ kind: 'table_function', name: 'numbers', args: [n(10)], alias: 'n' });
    expect(sel('SELECT * FROM (SELECT 1) AS s').from).toMatchObject({ kind: 'subquery', alias: 's', query: { kind: 'select' } });
    expect(sel('SELECT * FROM t SAMPLE 0.1 OFFSET 0.5').from).toMatchObject({ sample: { value: 0.1 }, sampleOffset: { value: 0.5 } });
    expect(sel('SELECT * FROM t AS a FINAL').from).toMatchObject({ alias: 'a', final: true });
    expect(sel('SELECT * FROM default.99004_speed').from).toEqual({ kind: 'table', database: 'default', name: '99004_speed' });
  });

  it("parses Proton's table functions", () => {
    expect(sel('SELECT * FROM table(s)').from).toEqual({ kind: 'table_function', name: 'table', args: [id('s')] });
    expect(sel('SELECT * FROM tumble(s, ts, 5s)').from).toMatchObject({
      kind: 'table_function',
      name: 'tumble',
      args: [id('s'), id('ts'), { name: 'toIntervalSecond' }],
    });
    expect(sel('SELECT * FROM hop(s, 1s, 5s)').from).toMatchObject({ name: 'hop' });
    expect(sel('SELECT * FROM session(s, ts, 5s, [a > 1, a < 0))').from).toMatchObject({
      name: 'session',
      args: [id('s'), id('ts'), { name: 'toIntervalSecond' }, { name: '__sessionRange', args: [{ name: 'greater' }, { name: 'less' }, { value: true }, { value: false }] }],
    });
    expect(sel('SELECT * FROM session(s, 5s, (a, b])').from).toMatchObject({ args: [{}, {}, { name: '__sessionRange', args: [{}, {}, { value: false }, { value: true }] }] });
    expect(sel('SELECT * FROM dedup(s, id, 10s)').from).toMatchObject({ name: 'dedup' });
    expect(sel('SELECT * FROM changelog(s, id, v)').from).toMatchObject({ name: 'changelog' });
    expect(() => parse('SELECT * FROM VALUES(1)(2)')).toThrow(/Syntax error/);
  });

  it('parses joins of every kind and strictness', () => {
    const j = sel('SELECT * FROM a GLOBAL ANY LEFT OUTER JOIN b ON a.x = b.x').from;
    expect(j).toMatchObject({ kind: 'join', joinKind: 'LEFT', strictness: 'ANY', global: true, left: { name: 'a' }, right: { name: 'b' }, on: { name: 'equals' } });
    expect(sel('SELECT * FROM a LEFT ANY JOIN b USING (x, y)').from).toMatchObject({ joinKind: 'LEFT', strictness: 'ANY', using: ['x', 'y'] });
    expect(sel('SELECT * FROM a JOIN b USING x').from).toMatchObject({ joinKind: 'INNER', using: ['x'] });
    expect(sel('SELECT * FROM a CROSS JOIN b').from).toMatchObject({ joinKind: 'CROSS' });
    expect(sel('SELECT * FROM a, b').from).toMatchObject({ joinKind: 'CROSS', comma: true });
    expect(sel('SELECT * FROM a ASOF JOIN b ON a.i = b.i AND a.t > b.t').from).toMatchObject({ strictness: 'ASOF', joinKind: 'INNER' });
    expect(sel('SELECT * FROM a INNER LATEST JOIN b ON a.i = b.i').from).toMatchObject({ strictness: 'LATEST', joinKind: 'INNER' });
    expect(sel('SELECT * FROM a FULL JOIN b ON 1').from).toMatchObject({ joinKind: 'FULL' });
    expect(sel('SELECT * FROM a RIGHT SEMI JOIN b ON 1').from).toMatchObject({ joinKind: 'RIGHT', strictness: 'SEMI' });
    expect(sel('SELECT * FROM a PASTE JOIN b').from).toMatchObject({ joinKind: 'PASTE' });
    const three = sel('SELECT * FROM a JOIN b ON 1 LEFT JOIN c ON 2').from;
    expect(three).toMatchObject({ joinKind: 'LEFT', left: { kind: 'join', left: { name: 'a' }, right: { name: 'b' } }, right: { name: 'c' } });
  });

  it('parses ARRAY JOIN', () => {
    expect(sel('SELECT x FROM t ARRAY JOIN arr AS x, [1, 2] AS y').from).toMatchObject({
      kind: 'array_join',
      isLeft: false,
      left: { name: 't' },
      exprs: [{ ...id('arr'), alias: 'x' }, { name: 'array', alias: 'y' }],
    });
    expect(sel('SELECT x FROM t LEFT ARRAY JOIN arr').from).toMatchObject({ kind: 'array_join', isLeft: true });
    const noFrom = sel('SELECT x ARRAY JOIN [1, 2] AS x').from;
    expect(noFrom).toMatchObject({ kind: 'array_join', exprs: [{ alias: 'x' }] });
    expect(noFrom && 'left' in noFrom && noFrom.left).toBeFalsy();
  });
});

describe('set operations', () => {
  it('gives INTERSECT higher precedence and associates to the left', () => {
    const q = parse('SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4') as SetOperationQuery;
    expect(q).toMatchObject({
      kind: 'set_operation',
      op: 'EXCEPT',
      left: { op: 'UNION ALL', left: { kind: 'select' }, right: { op: 'INTERSECT' } },
      right: { kind: 'select' },
    });
    expect(parse('SELECT 1 UNION SELECT 2')).toMatchObject({ op: 'UNION ALL', implicitMode: true });
    expect(parse('SELECT 1 UNION DISTINCT SELECT 2')).toMatchObject({ op: 'UNION DISTINCT' });
    expect(parse('SELECT 1 INTERSECT DISTINCT SELECT 2')).toMatchObject({ op: 'INTERSECT DISTINCT' });
    expect(parse('SELECT 1 EXCEPT DISTINCT SELECT 2')).toMatchObject({ op: 'EXCEPT DISTINCT' });
  });

  it('parses parenthesised selects and a trailing FORMAT', () => {
    const q = parse('(SELECT 1) UNION ALL (SELECT 2 UNION ALL SELECT 3) FORMAT TSV') as SetOperationQuery;
    expect(q).toMatchObject({ op: 'UNION ALL', right: { op: 'UNION ALL' }, format: 'TSV' });
    expect(parse('((SELECT 1))')).toMatchObject({ kind: 'select' });
    expect(parse('SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2))')).toMatchObject({ from: { kind: 'subquery', query: { op: 'UNION ALL' } } });
    expect(parse('SELECT ((SELECT 1) + 1)')).toMatchObject({ columns: [{ name: 'plus', args: [{ kind: 'subquery' }, n(1)] }] });
  });
});

describe("Proton's streaming clauses", () => {
  it('parses EMIT in its forms', () => {
    expect(sel('SELECT count() FROM s EMIT STREAM PERIODIC 2s').emit).toMatchObject({ stream: true, periodic: { name: 'toIntervalSecond' } });
    expect(sel('SELECT 1 FROM s EMIT CHANGELOG').emit).toEqual({ changelog: true });
    expect(sel('SELECT 1 FROM s EMIT AFTER WATERMARK WITH DELAY 2s').emit).toMatchObject({ afterWatermark: true, delay: { name: 'toIntervalSecond' } });
    expect(sel('SELECT 1 FROM s EMIT STREAM PERIODIC INTERVAL 3 SECOND AND AFTER WATERMARK').emit).toMatchObject({ stream: true, periodic: {}, afterWatermark: true });
    expect(sel('SELECT 1 FROM s EMIT ON UPDATE').emit).toEqual({ onUpdate: true });
    expect(sel('SELECT 1 FROM s EMIT PERIODIC 1s ON UPDATE').emit).toMatchObject({ periodic: {}, onUpdate: true });
    expect(sel('SELECT 1 FROM s EMIT AFTER WATERMARK AND TIMEOUT 5s AND LAST 1h ON PROCTIME').emit).toMatchObject({
      afterWatermark: true,
      timeout: { name: 'toIntervalSecond' },
      last: { name: 'toIntervalHour' },
      onProctime: true,
    });
    expect(sel('SELECT 1 FROM s EMIT LAST 1h').emit).toMatchObject({ last: {} });
    const q = sel('SELECT a, count() FROM s GROUP BY a EMIT PERIODIC 1s LIMIT 3 SETTINGS seek_to = \'earliest\'');
    expect(q).toMatchObject({ emit: { periodic: {} }, limit: n(3), settings: { seek_to: 'earliest' } });
    expect(sel('SELECT a FROM s ORDER BY a LIMIT 3 EMIT STREAM').emit).toEqual({ stream: true });
    expect(() => parse('SELECT 1 FROM s EMIT')).toThrow(/Syntax error/);
  });

  it('parses PARTITION BY and SHUFFLE BY (substreams)', () => {
    expect(sel('SELECT max(v) FROM tumble(s, 1s) PARTITION BY id GROUP BY window_start').partitionBy).toEqual([id('id')]);
    expect(sel('SELECT max(v) FROM s SHUFFLE BY id, k').shuffleBy).toEqual([id('id'), id('k')]);
  });

  it('parses SUBSCRIBE TO', () => {
    expect(parse('SUBSCRIBE TO SELECT * FROM s SETTINGS checkpoint_interval = 1')).toMatchObject({ kind: 'select', subscribe: true });
  });
});

describe('round trips', () => {
  const queries = [
    'SELECT 1',
    'SELECT a, b AS c FROM db.t AS x WHERE (a = 1) AND (b IN (1, 2)) ORDER BY a DESC LIMIT 10',
    "SELECT count() FROM tumble(s, ts, 5s) PARTITION BY id GROUP BY window_start EMIT STREAM AFTER WATERMARK WITH DELAY 1s AND LAST 1h ON PROCTIME SETTINGS seek_to = 'earliest'",
    'SELECT * FROM a GLOBAL ALL LEFT JOIN b USING (x) CROSS JOIN c, d ARRAY JOIN arr AS e',
    'SELECT x ARRAY JOIN [1, 2] AS x',
    'WITH cte AS (SELECT 1 AS a), 2 AS two SELECT a + two FROM cte',
    'SELECT 1 UNION ALL (SELECT 2 UNION DISTINCT SELECT 3) INTERSECT SELECT 4',
    'SELECT 1 UNION SELECT 2 UNION DISTINCT SELECT 3',
    '(SELECT 1 UNION ALL SELECT 2) INTERSECT SELECT 3',
    'SELECT sum(x) OVER (PARTITION BY a ORDER BY b ASC ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t WINDOW w AS (ORDER BY c)',
    'SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ()) WITH TOTALS',
    'SELECT a FROM t GROUP BY a WITH ROLLUP',
    'SELECT * EXCEPT (a), t.*, COLUMNS(\'^x\') FROM t',
    'SELECT TOP 3 WITH TIES a FROM t ORDER BY a',
    'SELECT DISTINCT ON (a) a, b FROM t',
    'SELECT a FROM t ORDER BY a WITH FILL FROM 1 TO 10 STEP 2',
    'SELECT a FROM t LIMIT 1 BY a LIMIT 5 OFFSET 2',
    "SELECT * FROM session(s, ts, 5s, [a = 'x', a = 'y'))",
    'SELECT {x:UInt8} + 1 FORMAT JSONEachRow',
    'SELECT multiIf(a, 1, 2), caseWithExpression(x, 1, 2, 3), if(c, a, b)',
    'SUBSCRIBE TO SELECT 1 FROM s',
    'SELECT raw:a.b FROM s',
    'SELECT `select`, `1a`, "x y" FROM `from`',
    "SELECT 'a\\nb', -1, - 1, 1e10, 0xFF, -inf, nan, NULL, true",
  ];
  it.each(queries)('%s', (q) => {
    roundTrip(q);
  });
});
