import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/sql/index.js';
import { formatExpr, parseExpression } from '../../src/sql/index.js';
import { expr } from './helpers.js';

const id = (...parts: string[]): Expr => ({ kind: 'identifier', parts });
const n = (value: number, text = String(value)): Expr => ({ kind: 'literal', value, text });
const s = (value: string): Expr => ({ kind: 'literal', value });
const f = (name: string, ...args: Expr[]): Expr => ({ kind: 'function', name, args });
/** `[a, b]`: an array call marked as written with brackets. */
const bracket = (...args: Expr[]): Expr => ({ kind: 'function', name: 'array', args, bracketSyntax: true });

/** The canonical text of an expression. */
const fmt = (sql: string) => formatExpr(parseExpression(sql));

describe('expressions: operators and precedence', () => {
  it('follows ClickHouse precedence', () => {
    expect(expr('a + b * c')).toEqual(f('plus', id('a'), f('multiply', id('b'), id('c'))));
    expect(expr('a - b - c')).toEqual(f('minus', f('minus', id('a'), id('b')), id('c')));
    expect(expr('a OR b AND c')).toEqual(f('or', id('a'), f('and', id('b'), id('c'))));
    expect(expr('a AND b AND c')).toEqual(f('and', id('a'), id('b'), id('c')));
    expect(expr('NOT a = b')).toEqual(f('not', f('equals', id('a'), id('b'))));
    expect(expr('NOT a IS NULL')).toEqual(f('not', f('isNull', id('a'))));
    expect(expr('a = b IS NOT NULL')).toEqual(f('isNotNull', f('equals', id('a'), id('b'))));
    expect(expr("a || b || 'c'")).toEqual(f('concat', id('a'), id('b'), s('c')));
    expect(expr('a || b + 1')).toEqual(f('concat', id('a'), f('plus', id('b'), n(1))));
    expect(expr('a < b = c')).toEqual(f('equals', f('less', id('a'), id('b')), id('c')));
    expect(expr('-a * b')).toEqual(f('multiply', f('negate', id('a')), id('b')));
    expect(expr('a % b DIV c MOD d')).toEqual(f('modulo', f('intDiv', f('modulo', id('a'), id('b')), id('c')), id('d')));
  });

  it('maps comparison, LIKE and IN operators to functions', () => {
    const names: [string, string][] = [
      ['a = b', 'equals'], ['a == b', 'equals'], ['a != b', 'notEquals'], ['a <> b', 'notEquals'], ['a < b', 'less'],
      ['a > b', 'greater'], ['a <= b', 'lessOrEquals'], ['a >= b', 'greaterOrEquals'], ['a LIKE b', 'like'],
      ['a NOT LIKE b', 'notLike'], ['a ILIKE b', 'ilike'], ['a NOT ILIKE b', 'notILike'], ['a IN b', 'in'],
      ['a NOT IN b', 'notIn'], ['a GLOBAL IN b', 'globalIn'], ['a GLOBAL NOT IN b', 'globalNotIn'],
    ];
    for (const [sql, name] of names) expect(expr(sql)).toEqual(f(name, id('a'), id('b')));
    expect(expr('x IN (1, 2)')).toEqual(f('in', id('x'), f('tuple', n(1), n(2))));
    expect(expr('x NOT IN (SELECT 1)')).toMatchObject({ name: 'notIn', args: [id('x'), { kind: 'subquery' }] });
  });

  it('rewrites comparisons with ANY/ALL subqueries like ClickHouse', () => {
    expect(expr('x = ANY (SELECT 1)')).toMatchObject({ name: 'in', args: [id('x'), { kind: 'subquery', query: { columns: [n(1)] } }] });
    expect(expr('x != ALL (SELECT 1)')).toMatchObject({ name: 'notIn', args: [id('x'), { kind: 'subquery' }] });
    expect(expr('x > ANY (SELECT 1)')).toMatchObject({
      name: 'greater',
      args: [id('x'), { kind: 'subquery', query: { columns: [{ name: 'min', args: [{ kind: 'asterisk' }] }], from: { kind: 'subquery' } } }],
    });
    expect(expr('x = ALL (SELECT 1)')).toMatchObject({ name: 'in', args: [id('x'), { query: { columns: [{ name: 'singleValueOrNull' }] } }] });
  });

  it('rewrites BETWEEN like ClickHouse', () => {
    expect(expr('x BETWEEN 1 AND 2')).toEqual(f('and', f('greaterOrEquals', id('x'), n(1)), f('lessOrEquals', id('x'), n(2))));
    expect(expr('x NOT BETWEEN 1 AND 2')).toEqual(f('or', f('less', id('x'), n(1)), f('greater', id('x'), n(2))));
    expect(expr('x BETWEEN 1 AND 2 AND y')).toEqual(
      f('and', f('and', f('greaterOrEquals', id('x'), n(1)), f('lessOrEquals', id('x'), n(2))), id('y')),
    );
  });

  it('parses the ternary operator and lambdas', () => {
    expect(expr('a ? b : c')).toEqual(f('if', id('a'), id('b'), id('c')));
    expect(expr('a ? b : c ? d : e')).toEqual(f('if', id('a'), id('b'), f('if', id('c'), id('d'), id('e'))));
    expect(expr('x -> x + 1')).toEqual({ kind: 'lambda', params: ['x'], body: f('plus', id('x'), n(1)) });
    expect(expr('arrayMap((x, y) -> x * y, a, b)')).toEqual(
      f('arrayMap', { kind: 'lambda', params: ['x', 'y'], body: f('multiply', id('x'), id('y')) }, id('a'), id('b')),
    );
    expect(expr('() -> 1')).toEqual({ kind: 'lambda', params: [], body: n(1) });
  });

  it('folds negative numbers into literals', () => {
    expect(expr('-1')).toEqual(n(-1, '-1'));
    expect(expr('-1.5e3')).toEqual(n(-1500, '-1.5e3'));
    expect(expr('- x')).toEqual(f('negate', id('x')));
    expect(expr('a - -1')).toEqual(f('minus', id('a'), n(-1, '-1')));
    expect(expr('-9223372036854775808')).toEqual({ kind: 'literal', value: -(2n ** 63n), text: '-9223372036854775808' });
  });
});

describe('expressions: elements', () => {
  it('reads literals', () => {
    expect(expr('18446744073709551615')).toEqual({ kind: 'literal', value: 2n ** 64n - 1n, text: '18446744073709551615' });
    expect(expr('18446744073709551616')).toMatchObject({ kind: 'literal', value: 18446744073709551616 });
    expect(expr('0xFF')).toEqual(n(255, '0xFF'));
    expect(expr('0b101')).toEqual(n(5, '0b101'));
    expect(expr('1e3')).toEqual(n(1000, '1e3'));
    expect(expr('NULL')).toEqual({ kind: 'literal', value: null });
    expect(expr('true')).toEqual({ kind: 'literal', value: true });
    expect(expr('FALSE')).toEqual({ kind: 'literal', value: false });
    expect(expr('inf')).toMatchObject({ kind: 'literal', value: Infinity });
    expect(expr('-inf')).toMatchObject({ kind: 'literal', value: -Infinity });
    expect(expr('nan')).toMatchObject({ kind: 'literal' });
    expect(expr("'x'")).toEqual(s('x'));
    expect(expr('$$ body $$')).toEqual(s(' body '));
  });

  it('reads identifiers, asterisks and COLUMNS', () => {
    expect(expr('db.t.col')).toEqual(id('db', 't', 'col'));
    expect(expr('`weird name`.x')).toEqual(id('weird name', 'x'));
    expect(expr('"dq"')).toEqual(id('dq'));
    expect(expr('*')).toEqual({ kind: 'asterisk' });
    expect(expr('t.*')).toEqual({ kind: 'asterisk', qualifier: ['t'] });
    expect(expr('* EXCEPT (a, b)')).toEqual({ kind: 'asterisk', except: ['a', 'b'] });
    expect(expr('* EXCEPT a')).toEqual({ kind: 'asterisk', except: ['a'] });
    expect(expr("COLUMNS('^a')")).toEqual({ kind: 'asterisk', columnsRegexp: '^a' });
    expect(expr("t.COLUMNS('^a')")).toEqual({ kind: 'asterisk', qualifier: ['t'], columnsRegexp: '^a' });
    expect(expr('COLUMNS(a, b)')).toEqual({ kind: 'asterisk', columnsList: ['a', 'b'] });
  });

  it('reads arrays, tuples, element access and casts', () => {
    expect(expr('[1, 2]')).toEqual(bracket(n(1), n(2)));
    expect(expr('[]')).toEqual(bracket());
    expect(expr("(1, 'a')")).toEqual(f('tuple', n(1), s('a')));
    expect(expr('()')).toEqual(f('tuple'));
    expect(expr('(1)')).toEqual(n(1));
    expect(expr('a[1]')).toEqual(f('arrayElement', id('a'), n(1)));
    expect(expr('t.1')).toEqual(f('tupleElement', id('t'), n(1)));
    expect(expr('t.1.2')).toEqual(f('tupleElement', f('tupleElement', id('t'), n(1)), n(2)));
    expect(expr('f(x).name')).toEqual(f('tupleElement', f('f', id('x')), s('name')));
    expect(expr('a[1][2]')).toEqual(f('arrayElement', f('arrayElement', id('a'), n(1)), n(2)));
    expect(expr('x::int32')).toEqual(f('CAST', id('x'), s('int32')));
    expect(expr('CAST(x AS Nullable(String))')).toEqual(f('CAST', id('x'), s('Nullable(String)')));
    expect(expr("CAST(x AS DateTime64(3, 'UTC'))")).toEqual(f('CAST', id('x'), s("DateTime64(3, 'UTC')")));
    expect(expr("cast(x, 'String')")).toEqual(f('cast', id('x'), s('String')));
    expect(expr('-1::Int8')).toEqual(f('CAST', n(-1, '-1'), s('Int8')));
    expect(expr('[1][1]::String')).toEqual(f('CAST', f('arrayElement', bracket(n(1)), n(1)), s('String')));
  });

  it('reads function calls', () => {
    expect(expr('count()')).toEqual(f('count'));
    expect(expr('count(*)')).toEqual(f('count', { kind: 'asterisk' }));
    expect(expr('count(DISTINCT x)')).toEqual({ kind: 'function', name: 'count', args: [id('x')], distinct: true });
    expect(expr('quantile(0.5)(x)')).toEqual({ kind: 'function', name: 'quantile', args: [id('x')], params: [n(0.5)] });
    expect(expr('countIf(x) FILTER (WHERE y)')).toEqual(f('countIfIf', id('x'), id('y')));
    expect(expr('sum(x) FILTER (WHERE y > 1)')).toEqual(f('sumIf', id('x'), f('greater', id('y'), n(1))));
    expect(expr('toTypeName(x)')).toEqual(f('toTypeName', id('x'))); // names keep their case
    expect(expr('f(x AS y)')).toEqual(f('f', { ...id('x'), alias: 'y' }));
  });

  it('reads window functions', () => {
    expect(expr('row_number() OVER (PARTITION BY a ORDER BY b DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)')).toEqual({
      kind: 'function',
      name: 'row_number',
      args: [],
      over: {
        partitionBy: [id('a')],
        orderBy: [{ expr: id('b'), direction: 'DESC' }],
        frame: { type: 'ROWS', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } },
      },
    });
    expect(expr('sum(x) OVER w')).toMatchObject({ over: { baseName: 'w', partitionBy: [], orderBy: [] } });
    expect(expr('sum(x) OVER (w ORDER BY y RANGE 1 PRECEDING)')).toMatchObject({
      over: { baseName: 'w', frame: { type: 'RANGE', start: { kind: 'preceding', offset: n(1) }, end: { kind: 'current_row' } } },
    });
  });

  it('rewrites SQL-standard special forms', () => {
    expect(expr('CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END')).toEqual(f('multiIf', id('a'), n(1), id('b'), n(2), n(3)));
    expect(expr('CASE WHEN a THEN 1 END')).toEqual(f('multiIf', id('a'), n(1), { kind: 'literal', value: null }));
    expect(expr("CASE x WHEN 1 THEN 'a' ELSE 'b' END")).toEqual(f('caseWithExpression', id('x'), n(1), s('a'), s('b')));
    expect(expr('EXTRACT(DAY FROM d)')).toEqual(f('toDayOfMonth', id('d')));
    expect(expr('EXTRACT(YEAR FROM d)')).toEqual(f('toYear', id('d')));
    expect(expr("extract(s, 'a+')")).toEqual(f('extract', id('s'), s('a+')));
    expect(expr('SUBSTRING(s FROM 2 FOR 3)')).toEqual(f('SUBSTRING', id('s'), n(2), n(3)));
    expect(expr('substring(s, 2)')).toEqual(f('substring', id('s'), n(2)));
    expect(expr("POSITION('a' IN s)")).toEqual(f('POSITION', id('s'), s('a')));
    expect(expr('TRIM(s)')).toEqual(f('trimBoth', id('s')));
    expect(expr("TRIM(LEADING 'x' FROM s)")).toMatchObject({ name: 'replaceRegexpOne', args: [id('s'), { name: 'concat' }, s('')] });
    expect(expr("TRIM(BOTH 'x' FROM s)")).toMatchObject({ name: 'replaceRegexpAll' });
    expect(expr('DATE_ADD(DAY, 1, d)')).toEqual(f('plus', id('d'), f('toIntervalDay', n(1))));
    expect(expr('date_sub(HOUR, 2, d)')).toEqual(f('minus', id('d'), f('toIntervalHour', n(2))));
    expect(expr('date_diff(second, a, b)')).toEqual(f('date_diff', s('second'), id('a'), id('b')));
    expect(expr("date_diff('second', a, b)")).toEqual(f('date_diff', s('second'), id('a'), id('b')));
    expect(expr('EXISTS(SELECT 1)')).toMatchObject({ name: 'exists', args: [{ kind: 'subquery' }] });
    expect(expr("DATE '2020-01-01'")).toEqual(f('toDate', s('2020-01-01')));
    expect(expr("TIMESTAMP '2020-01-01 00:00:00'")).toEqual(f('toDateTime', s('2020-01-01 00:00:00')));
    expect(expr('date')).toEqual(id('date'));
  });

  it('reads intervals, Proton shorthands included', () => {
    expect(expr('INTERVAL 1 DAY')).toEqual(f('toIntervalDay', n(1)));
    expect(expr('interval 2 second')).toEqual(f('toIntervalSecond', n(2)));
    expect(expr("INTERVAL '1 day'")).toEqual(f('toIntervalDay', n(1)));
    expect(expr("INTERVAL '3' HOUR")).toEqual(f('toIntervalHour', n(3)));
    expect(expr('INTERVAL x + 1 MINUTE')).toEqual(f('toIntervalMinute', f('plus', id('x'), n(1))));
    expect(expr('5s')).toEqual(f('toIntervalSecond', n(5)));
    expect(expr('100ms')).toEqual(f('toIntervalMillisecond', n(100)));
    expect(expr('2m')).toEqual(f('toIntervalMinute', n(2)));
    expect(expr('1M')).toEqual(f('toIntervalMonth', n(1)));
    expect(expr('1h')).toEqual(f('toIntervalHour', n(1)));
    expect(expr('3d')).toEqual(f('toIntervalDay', n(3)));
    expect(expr('1w')).toEqual(f('toIntervalWeek', n(1)));
    expect(expr('-5s')).toEqual(f('toIntervalSecond', n(-5, '-5')));
    expect(expr('now() - 1h')).toEqual(f('minus', f('now'), f('toIntervalHour', n(1))));
  });

  it("reads Proton's json access, query parameters and session ranges", () => {
    expect(expr('raw:a.b')).toEqual(f('json_value', id('raw'), s('$.`a`.`b`')));
    expect(expr('c ? x : y')).toEqual(f('if', id('c'), id('x'), id('y')));
    expect(expr('c ? f(raw:a) : y')).toEqual(f('if', id('c'), f('f', f('json_value', id('raw'), s('$.`a`'))), id('y')));
    expect(expr('{id:UInt32}')).toEqual({ kind: 'param', name: 'id', type: { name: 'UInt32', args: [] } });
    expect(expr('{s:Nullable(String)} + 1')).toEqual(
      f('plus', { kind: 'param', name: 's', type: { name: 'Nullable', args: [{ kind: 'type', type: { name: 'String', args: [] } }] } }, n(1)),
    );
  });

  it('reads aliases', () => {
    expect(expr('a + 1 AS b')).toEqual({ ...f('plus', id('a'), n(1)), alias: 'b' });
    expect(expr('(1 AS x) + x')).toEqual(f('plus', { ...n(1), alias: 'x' }, id('x')));
  });

  it('rejects malformed expressions with SYNTAX_ERROR naming the position and what was expected', () => {
    expect(() => parseExpression('a +')).toThrow(/Syntax error: failed at position 4.*Expected expression/);
    expect(() => parseExpression('f(a')).toThrow(/Expected one of: .*'\)'/);
    expect(() => parseExpression('CASE WHEN a THEN b')).toThrow(/END/);
    expect(() => parseExpression('$1')).toThrow(/placeholder/);
  });
});

describe('expressions: formatting', () => {
  const cases: [string, string][] = [
    ['a+b*c', 'a + b * c'],
    ['(a+b)*c', '(a + b) * c'],
    ['a-(b-c)', 'a - (b - c)'],
    ['(a AND b) AND c', '(a AND b) AND c'],
    ['a AND b AND c', 'a AND b AND c'],
    ['NOT (a AND b)', 'NOT (a AND b)'],
    ['-(1)', '-(1)'],
    ['-(-1)', '-(-1)'],
    ['- - x', '- -x'],
    ['(-1)[1]', '(-1)[1]'],
    ["x::String", 'CAST(x AS String)'],
    ['[1, (2, 3)]', '[1, (2, 3)]'],
    ['tuple(1)', 'tuple(1)'],
    ['t.1', 't.1'],
    ['INTERVAL 1 DAY', 'INTERVAL 1 DAY'],
    ['5s', 'INTERVAL 5 SECOND'],
    ['x -> x + 1', 'x -> x + 1'],
    ['a IS NULL', 'a IS NULL'],
    ['a = b IS NULL', 'a = b IS NULL'],
    ['(a AS b) + 1', '(a AS b) + 1'],
    ['`select`', '`select`'],
    ["'it''s'", "'it\\'s'"],
    ['count(DISTINCT x)', 'count(DISTINCT x)'],
    ['quantiles(0.5, 0.9)(x)', 'quantiles(0.5, 0.9)(x)'],
    ['.5', '0.5'],
    ['{p:Array(String)}', '{p:Array(String)}'],
  ];
  it.each(cases)('%s → %s', (input, output) => {
    expect(fmt(input)).toBe(output);
    expect(expr(fmt(input))).toEqual(expr(input));
  });
});
