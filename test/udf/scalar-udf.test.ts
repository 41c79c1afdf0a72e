import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UdfTestEngine } from './udf-helpers.js';

let t: UdfTestEngine;
beforeAll(async () => {
  t = await UdfTestEngine.open('udf-scalar');
});
afterAll(async () => {
  await t.close();
});

describe('JavaScript scalar UDFs', () => {
  it('maps whole columns: arrays in, an array of the same length out', async () => {
    await t.query(`CREATE FUNCTION add_five(value float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$
      function add_five(value) { for (let i = 0; i < value.length; i++) value[i] = value[i] + 5; return value; }
    $$`);
    expect(await t.query('SELECT add_five(number) FROM numbers(4)')).toEqual([['5'], ['6'], ['7'], ['8']]);
    expect(await t.query('SELECT toTypeName(add_five(1))')).toEqual([['Float32']]);
    expect(await t.query('DESCRIBE (SELECT add_five(1) AS a)')).toEqual([['a', 'Float32', '', '', '', '', '']]);
  });

  it('takes several arguments of several types and returns the declared type', async () => {
    await t.query(`CREATE FUNCTION label(s string, n int64, b bool, d datetime64(3), a array(int32)) RETURNS string LANGUAGE JAVASCRIPT AS $$
      function label(s, n, b, d, a) {
        return s.map((x, i) => x + ':' + n[i] + ':' + b[i] + ':' + d[i].toISOString() + ':' + a[i].join('|'));
      }
    $$`);
    expect(
      await t.query("SELECT label(concat('r', toString(number)), number * 10, number % 2 = 0, toDateTime64('2024-01-02 03:04:05.678', 3, 'UTC'), [1, toInt32(number)]) FROM numbers(2)"),
    ).toEqual([['r0:0:true:2024-01-02T03:04:05.678Z:1|0'], ['r1:10:false:2024-01-02T03:04:05.678Z:1|1']]);
    await t.query(`CREATE FUNCTION pairs(x uint64) RETURNS tuple(a uint64, b string) LANGUAGE JAVASCRIPT AS $$
      function pairs(x) { return x.map(v => ({ a: v * 2, b: 'v' + v })); }
    $$`);
    expect(await t.query('SELECT pairs(number).1, pairs(number).2 FROM numbers(2)')).toEqual([['0', 'v0'], ['2', 'v1']]);
    await t.query(`CREATE FUNCTION toggle_bool(b bool) RETURNS bool LANGUAGE JAVASCRIPT AS $$
      function toggle_bool(values) { for (let i = 0; i < values.length; i++) values[i] = !values[i]; return values; }
    $$`);
    expect(await t.query('SELECT toggle_bool(true), toggle_bool(false)')).toEqual([['false', 'true']]);
  });

  it('casts arguments to the declared types and passes NULL through', async () => {
    expect(await t.query("SELECT add_five(toNullable(toFloat64(1))), add_five(NULL), add_five('2')")).toEqual([['6', '\\N', '7']]);
    expect((await t.error("SELECT add_five('s1')")).code).toBe(6);
  });

  it('checks the argument count and the result', async () => {
    expect((await t.error('SELECT add_five(1, 2)')).code).toBe(42);
    await t.query('CREATE FUNCTION no_ret(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function no_ret(v) {} $$');
    const e = await t.error('SELECT no_ret(1)');
    expect(e.code).toBe(43);
    expect(e.message).toContain('should return Array');
    await t.query("CREATE FUNCTION bad_type(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function bad_type(v) { return v.map(() => 'x'); } $$");
    expect((await t.error('SELECT bad_type(1)')).code).toBe(53);
    await t.query('CREATE FUNCTION short(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function short(v) { return []; } $$');
    expect((await t.error('SELECT short(number) FROM numbers(3)')).code).toBe(117);
  });

  it('rejects invalid definitions at CREATE', async () => {
    expect((await t.error('CREATE FUNCTION broken(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function broken(v) { return v. } $$')).code).toBe(2530);
    expect((await t.error('CREATE FUNCTION missing(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function other(v) { return v; } $$')).code).toBe(2530);
    expect((await t.error('CREATE FUNCTION plus(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function plus(v) { return v; } $$')).code).toBe(609);
    expect((await t.error('CREATE FUNCTION add_five(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function add_five(v) { return v; } $$')).code).toBe(609);
    expect((await t.error("CREATE FUNCTION m(v map(string, int32)) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function m(v) { return v; } $$")).code).toBe(48);
  });

  it('OR REPLACE, IF NOT EXISTS and DROP FUNCTION [IF EXISTS]', async () => {
    await t.query('CREATE FUNCTION IF NOT EXISTS add_five(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function add_five(v) { return v; } $$');
    expect(await t.query('SELECT add_five(1)')).toEqual([['6']]);
    await t.query('CREATE OR REPLACE FUNCTION add_five(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function add_five(v) { return v.map(x => x + 50); } $$');
    expect(await t.query('SELECT add_five(1)')).toEqual([['51']]);
    await t.query('DROP FUNCTION add_five');
    expect((await t.error('SELECT add_five(1)')).code).toBe(46);
    expect((await t.error('DROP FUNCTION add_five')).code).toBe(46);
    await t.query('DROP FUNCTION IF EXISTS add_five');
  });

  it('runs away from the server: no require, process, or host objects', async () => {
    await t.query(`CREATE FUNCTION probe(v uint8) RETURNS string LANGUAGE JAVASCRIPT AS $$
      function probe(v) {
        let escaped;
        try { escaped = this.constructor.constructor('return typeof process')(); } catch (e) { escaped = 'error'; }
        return v.map(() => [typeof require, typeof process, typeof setTimeout, typeof WebAssembly === 'undefined' ? 'nowasm' : 'wasm-no-compile', escaped].join(','));
      }
    $$`);
    const [[out]] = (await t.query('SELECT probe(1)')) as [[string]];
    expect(out.split(',').slice(0, 3)).toEqual(['undefined', 'undefined', 'undefined']);
    expect(out.split(',')[4]).toBe('undefined');
  });

  it('SQL lambda functions', async () => {
    await t.query('CREATE FUNCTION linear_equation AS (x, k, b) -> k * x + b');
    expect(await t.query('SELECT linear_equation(number, 2, 1) FROM numbers(3)')).toEqual([['1'], ['3'], ['5']]);
    await t.query("CREATE FUNCTION greet AS (s) -> concat('hi ', s)");
    expect(await t.query("SELECT greet('x'), toTypeName(greet('x'))")).toEqual([['hi x', 'String']]);
    expect((await t.error('SELECT greet(1, 2)')).code).toBe(42);
  });

  it('system.functions lists user functions with their origin and CREATE query', async () => {
    const rows = await t.query("SELECT name, is_aggregate, origin, create_query != '' FROM system.functions WHERE origin != 'System' ORDER BY name");
    expect(rows).toContainEqual(['linear_equation', '0', 'SQLUserDefined', '1']);
    expect(rows).toContainEqual(['toggle_bool', '0', 'ExecutableUserDefined', '1']);
    expect(await t.query("SHOW FUNCTIONS LIKE 'linear_equ%'")).toEqual([['linear_equation']]);
    const [[sqlCreate]] = (await t.query('SHOW CREATE FUNCTION linear_equation')) as [[string]];
    expect(sqlCreate).toMatch(/^CREATE FUNCTION linear_equation AS \(?x, k, b\)? -> /);
    const [[jsCreate]] = (await t.query('SHOW CREATE FUNCTION toggle_bool')) as [[string]];
    expect(jsCreate).toContain('CREATE FUNCTION toggle_bool(b Bool) RETURNS Bool LANGUAGE JAVASCRIPT AS $$');
    // The CREATE query runs again as it is.
    await t.query('DROP FUNCTION toggle_bool');
    await t.query(jsCreate);
    expect(await t.query('SELECT toggle_bool(true)')).toEqual([['false']]);
    expect((await t.error('SHOW CREATE FUNCTION nope')).code).toBe(46);
  });
});
