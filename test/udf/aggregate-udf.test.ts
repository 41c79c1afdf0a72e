import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UdfTestEngine } from './udf-helpers.js';

/** Proton's second-largest UDA (tests/stream/test_stream_smoke/0022_udf2.yaml), with serialize/deserialize/merge. */
const SEC_LARGE = `CREATE AGGREGATE FUNCTION sec_large(value float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$
  {
    initialize: function() { this.max = -1.0; this.sec = -1.0; },
    process: function(values) {
      for (let i = 0; i < values.length; i++) {
        if (values[i] > this.max) { this.sec = this.max; this.max = values[i]; }
        if (values[i] < this.max && values[i] > this.sec) this.sec = values[i];
      }
    },
    finalize: function() { return this.sec; },
    serialize: function() { return JSON.stringify({ max: this.max, sec: this.sec }); },
    deserialize: function(s) { const o = JSON.parse(s); this.max = o.max; this.sec = o.sec; },
    merge: function(s) {
      const o = JSON.parse(s);
      if (o.sec >= this.max) { this.max = o.max; this.sec = o.sec; }
      else if (o.max >= this.max) { this.sec = this.max; this.max = o.max; }
      else if (o.max > this.sec) { this.sec = o.max; }
    }
  }
$$`;

const COUNT_DELTAS = `CREATE AGGREGATE FUNCTION count_deltas(value float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$
  {
    initialize: function() { this.count = 0; this.sawDeltas = false; },
    process: function(values, deltas) {
      if (deltas !== undefined) this.sawDeltas = true;
      for (let i = 0; i < values.length; i++) this.count += deltas === undefined ? 1 : deltas[i];
    },
    finalize: function() { return this.sawDeltas ? this.count : 1000 + this.count; },
    serialize: function() { return JSON.stringify({ count: this.count }); },
    deserialize: function(s) { this.count = JSON.parse(s).count; },
    merge: function(s) { this.count += JSON.parse(s).count; }
  }
$$`;

let t: UdfTestEngine;
beforeAll(async () => {
  t = await UdfTestEngine.open('udf-aggregate');
  await t.query(SEC_LARGE);
  await t.query(COUNT_DELTAS);
});
afterAll(async () => {
  await t.close();
});

describe('JavaScript UDAs', () => {
  it('historical: without and with GROUP BY, over many blocks', async () => {
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(10)')).toEqual([['8']]);
    expect(await t.query('SELECT number % 3 AS k, sec_large(toFloat32(number)) FROM numbers(100) GROUP BY k ORDER BY k')).toEqual([['0', '96'], ['1', '94'], ['2', '95']]);
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(200000)', { max_block_size: '1000' })).toEqual([['199998']]);
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(0)')).toEqual([['-1']]);
    await t.query('CREATE STREAM hist (k string, v float32)');
    await t.query("INSERT INTO hist (k, v) VALUES ('a', 1), ('a', 5), ('b', 2), ('a', 3), ('b', 7)");
    expect(await t.query('SELECT k, sec_large(v), max(v) FROM table(hist) GROUP BY k ORDER BY k')).toEqual([['a', '3', '5'], ['b', '2', '7']]);
  });

  it('combinators: -If, -Distinct, -OrNull', async () => {
    expect(await t.query('SELECT sec_largeIf(toFloat32(number), number < 5), sec_large_if(toFloat32(number), number % 2 = 1) FROM numbers(10)')).toEqual([['3', '7']]);
    expect(await t.query('SELECT count_deltasDistinct(toFloat32(number % 3)) FROM numbers(30)')).toEqual([['1003']]);
    expect(await t.query('SELECT sec_largeOrNull(toFloat32(number)) FROM numbers(0)')).toEqual([['\\N']]);
  });

  it('checks arguments like Proton: count (42) and type family (43)', async () => {
    expect((await t.error('SELECT sec_large(1, 2)')).code).toBe(42);
    expect((await t.error("SELECT sec_large('x')")).code).toBe(43);
    expect(await t.query('SELECT sec_large(number) FROM numbers(4)')).toEqual([['2']]);
  });

  it('streaming GROUP BY emits the UDA per group as rows arrive', async () => {
    await t.query('CREATE STREAM live (s string, f32 float32)');
    const q = await t.stream('SELECT s, max(f32), sec_large(f32) FROM live GROUP BY s EMIT PERIODIC 100ms');
    try {
      await t.query("INSERT INTO live (s, f32) VALUES ('s1', 1), ('s2', 2), ('s1', 3), ('s2', 4)");
      await q.waitFor((rows) => rows.some((r) => r[0] === 's1' && r[2] === '1') && rows.some((r) => r[0] === 's2' && r[2] === '2'), 'the first results');
      await t.query("INSERT INTO live (s, f32) VALUES ('s1', 2)");
      await q.waitFor((rows) => rows.some((r) => r[0] === 's1' && r[2] === '2'), 'the updated second largest');
    } finally {
      await q.stop();
    }
  });

  it('a running query keeps the definition it started with when the UDA is replaced; new queries get the new one', async () => {
    await t.query(`CREATE AGGREGATE FUNCTION versioned(v float32) RETURNS string LANGUAGE JAVASCRIPT AS $$
      { initialize() { this.n = 0; }, process(v) { this.n += v.length; }, finalize() { return 'v1:' + this.n; } } $$`);
    await t.query('CREATE STREAM ver_src (v float32)');
    const q = await t.stream('SELECT versioned(v) FROM ver_src EMIT PERIODIC 50ms');
    try {
      await t.query('INSERT INTO ver_src (v) VALUES (1), (2)');
      await q.waitFor((rows) => rows.some((r) => r[0] === 'v1:2'), 'the first result');
      await t.query(`CREATE OR REPLACE AGGREGATE FUNCTION versioned(v float32) RETURNS string LANGUAGE JAVASCRIPT AS $$
        { initialize() { this.n = 0; }, process(v) { this.n += v.length; }, finalize() { return 'v2:' + this.n; } } $$`);
      expect(await t.query('SELECT versioned(toFloat32(number)) FROM numbers(3)')).toEqual([['v2:3']]);
      await t.query('INSERT INTO ver_src (v) VALUES (3)');
      await q.waitFor((rows) => rows.some((r) => r[0] === 'v1:3'), 'the running query to go on with its state');
    } finally {
      await q.stop();
    }
  });

  it('over a changelog stream process() gets the deltas (an append stream does not)', async () => {
    expect(await t.query('SELECT count_deltas(toFloat32(number)) FROM numbers(3)')).toEqual([['1003']]);
    await t.query("CREATE STREAM cl (f32 float32) SETTINGS mode = 'changelog'");
    const q = await t.stream('SELECT count_deltas(f32) FROM cl EMIT PERIODIC 100ms');
    try {
      await t.query('INSERT INTO cl (f32) SELECT number FROM numbers(10)');
      await q.waitFor((rows) => rows.some((r) => r[0] === '10'), 'ten rows');
      await t.query('INSERT INTO cl (f32, _tp_delta) VALUES (1, -1)');
      await q.waitFor((rows) => rows.some((r) => r[0] === '9'), 'one retracted');
    } finally {
      await q.stop();
    }
  });
});

describe('UDF failures stay in their query', () => {
  it('a UDF that throws fails its query with UDF_INTERNAL_ERROR / AGGREGATE_FUNCTION_THROW; the next query works', async () => {
    await t.query("CREATE FUNCTION thrower(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function thrower(v) { throw new Error('udf exception'); } $$");
    const e = await t.error('SELECT thrower(3.0)');
    expect(e.code).toBe(2533);
    expect(e.message).toContain('udf exception');
    await t.query("CREATE AGGREGATE FUNCTION uda_throw(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ { initialize: function() {}, process: function(v) { throw new Error('js exception'); }, finalize: function() { return -1; } } $$");
    expect((await t.error('SELECT uda_throw(toFloat32(number)) FROM numbers(3)')).code).toBe(503);
    await t.query("CREATE AGGREGATE FUNCTION uda_final_throw(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ { process: function(v) {}, finalize: function() { throw new Error('js exception'); } } $$");
    expect((await t.error('SELECT uda_final_throw(toFloat32(number)) FROM numbers(3)')).code).toBe(2533);
    await t.query('CREATE AGGREGATE FUNCTION uda_no_return(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ { process: function(v) {}, finalize: function() {} } $$');
    expect((await t.error('SELECT uda_no_return(toFloat32(number)) FROM numbers(3)')).code).toBe(2533);
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(10)')).toEqual([['8']]);
  });

  it('a UDF that loops forever fails with TIMEOUT_EXCEEDED after javascript_udf_timeout_ms; the server stays healthy', async () => {
    await t.query('CREATE FUNCTION forever(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function forever(v) { for (;;) {} } $$');
    const started = Date.now();
    const e = await t.error('SELECT forever(1)', { javascript_udf_timeout_ms: '200' });
    expect(e.code).toBe(159);
    expect(Date.now() - started).toBeLessThan(5000);
    await t.query('CREATE AGGREGATE FUNCTION forever_agg(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ { process: function(v) { while (true) {} }, finalize: function() { return 1; } } $$');
    expect((await t.error('SELECT forever_agg(toFloat32(number)) FROM numbers(3)', { javascript_udf_timeout_ms: '200' })).code).toBe(159);
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(10)')).toEqual([['8']]);
    expect(await t.query('SELECT 1 + 1')).toEqual([['2']]);
  });

  it('a UDF that allocates without bound fails with UDF_MEMORY_THRESHOLD_EXCEEDED; the sandbox restarts', async () => {
    await t.query('CREATE FUNCTION hog(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function hog(v) { const keep = []; for (;;) keep.push(new Array(100000).fill(v.length + 0.5)); } $$');
    const e = await t.error('SELECT hog(1)', { javascript_udf_timeout_ms: '60000' });
    expect(e.code).toBe(2531);
    expect(e.message).toContain('memory limit');
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(10)')).toEqual([['8']]);
  });

  it('ArrayBuffer and typed-array memory counts against the limit too; typed arrays still work', async () => {
    await t.query('CREATE FUNCTION hog_buffers(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function hog_buffers(v) { const keep = []; for (;;) keep.push(new Float64Array(1 << 20)); } $$');
    const e = await t.error('SELECT hog_buffers(1)');
    expect(e.code).toBe(2531);
    await t.query('CREATE FUNCTION hog_slices(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function hog_slices(v) { const a = new Float64Array(1 << 20), keep = []; for (;;) keep.push(a.slice(), a.buffer.slice(0)); } $$');
    expect((await t.error('SELECT hog_slices(1)')).code).toBe(2531);
    await t.query(`CREATE FUNCTION typed_ok(v float64) RETURNS float64 LANGUAGE JAVASCRIPT AS $$
      function typed_ok(v) {
        const a = Float64Array.from(v), b = a.map((x) => x * 2).slice(0), u = new Uint8Array(new ArrayBuffer(8));
        class Sub extends Int32Array {}
        const ok = a instanceof Float64Array && b instanceof Float64Array && u.length === 8 && new Sub(2).length === 2 && typeof SharedArrayBuffer === 'undefined' && typeof WebAssembly === 'undefined';
        return Array.from(b, (x) => (ok ? x : -1));
      }
    $$`);
    expect(await t.query('SELECT typed_ok(number) FROM numbers(3)')).toEqual([['0'], ['2'], ['4']]);
    // Up to the limit (twice the heap limit) a call may allocate freely.
    await t.query('CREATE FUNCTION churn(v float32) RETURNS float32 LANGUAGE JAVASCRIPT AS $$ function churn(v) { let s = 0; for (let i = 0; i < 20; i++) s += new Float64Array(1 << 20).length; return v.map(() => s); } $$');
    expect(await t.query('SELECT churn(1)')).toEqual([['20971520']]);
  });

  it('a streaming UDA whose sandbox was replaced fails with a clear error instead of wrong results', async () => {
    await t.query('CREATE STREAM lost_src (v float32)');
    const q = await t.stream('SELECT sec_large(v) FROM lost_src EMIT PERIODIC 50ms');
    try {
      await t.query('INSERT INTO lost_src (v) VALUES (1), (2), (3)');
      await q.waitFor((rows) => rows.some((r) => r[0] === '2'), 'the first result');
      expect((await t.error('SELECT hog(1)', { javascript_udf_timeout_ms: '60000' })).code).toBe(2531);
      await t.query('INSERT INTO lost_src (v) VALUES (4)');
      await q.waitFor(() => q.error() !== undefined, 'the query to fail').catch((e: unknown) => e);
      const err = q.error() as { code?: number; message?: string };
      expect(err.code).toBe(2533);
      expect(err.message).toContain('was lost');
    } finally {
      await q.stop();
    }
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(10)')).toEqual([['8']]);
  });
});

describe('persistence', () => {
  it('UDFs and UDAs survive a restart; a materialized view using a UDA resumes from its checkpoint', async () => {
    await t.query('CREATE STREAM mv_src (k string, v float32)');
    await t.query('CREATE MATERIALIZED VIEW mv_sec AS SELECT k, sec_large(v) AS sec, count() AS n FROM mv_src GROUP BY k');
    await t.query("INSERT INTO mv_src (k, v) VALUES ('a', 1), ('a', 9), ('b', 4), ('a', 5)");
    const latest = 'SELECT k, arg_max(sec, _tp_time), arg_max(n, _tp_time) FROM table(mv_sec) GROUP BY k ORDER BY k';
    await waitRows(latest, [['a', '5', '3'], ['b', '-1', '1']]);
    await t.restart();
    expect(await t.query("SELECT name, is_aggregate FROM system.functions WHERE name IN ('sec_large', 'thrower') ORDER BY name")).toEqual([['sec_large', '1'], ['thrower', '0']]);
    expect(await t.query('SELECT sec_large(toFloat32(number)) FROM numbers(10)')).toEqual([['8']]);
    await waitRows("SELECT status FROM system.materialized_views WHERE name = 'mv_sec'", [['running']]);
    // The restored state (deserialize) continues: 'a' had 9 and 5, a 7 makes 7 the second largest.
    await t.query("INSERT INTO mv_src (k, v) VALUES ('a', 7), ('b', 3)");
    await waitRows(latest, [['a', '7', '4'], ['b', '3', '2']]);
  });
});

async function waitRows(sql: string, want: string[][]): Promise<void> {
  const deadline = Date.now() + 20_000;
  let got: string[][] = [];
  while (Date.now() < deadline) {
    got = await t.query(sql);
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(got).toEqual(want);
}

/** Proton's `stock` UDA (0022_udf.json): it emits a result whenever a price rise ends a fall. */
const STOCK = `CREATE AGGREGATE FUNCTION stock(rowtime datetime64(6), price float32) RETURNS tuple(start_price float32, bottom_ts datetime64(1), end_price float32, down_duration uint64) LANGUAGE JAVASCRIPT AS $$
{has_customized_emit:true,initialize:function(){this.bottom_ts=new Date();this.last_down_price=-1.0;this.start_price=-1.0;this.down_duration=1;this.result=[]},process:function(rowtime,price){for(let i=0;i<rowtime.length;i++){if(this.start_price<0||(this.last_down_price<0&&price[i]>=this.start_price)){this.start_price=price[i];this.bottom_ts=rowtime[i];this.down_duration=1}else if((this.last_down_price<0&&price[i]<this.start_price)||(price[i]<this.last_down_price)){this.last_down_price=price[i];this.bottom_ts=rowtime[i];this.down_duration=this.down_duration+1}else if(price[i]>this.last_down_price){this.result.push({'start_price':this.start_price,'bottom_ts':this.bottom_ts,'end_price':price[i],'down_duration':this.down_duration});this.bottom_ts=rowtime[i];this.start_price=price[i];this.last_down_price=-1.0;this.down_duration=1}else{this.down_duration=this.down_duration+1}}return this.result.length},finalize:function(){var old_result=this.result;this.result=[];return old_result},merge:function(){}}
$$`;

describe('UDAs with their own emit strategy (has_customized_emit)', () => {
  it('a group emits when process() says it has results, one row per result', async () => {
    await t.query(STOCK);
    await t.query('CREATE STREAM ticks (i8 int8, dt datetime64(6), f32 float32)');
    const q = await t.stream('SELECT i8, st.1, st.2, st.3, st.4 FROM (SELECT i8, stock(dt, f32) AS st FROM ticks GROUP BY i8)');
    try {
      await t.query(
        "INSERT INTO ticks (i8, dt, f32) VALUES (1, '2020-02-02 20:00:00', 10), (2, '2020-02-02 20:00:00', 20), (1, '2020-02-02 20:00:01', 3), (2, '2020-02-02 20:00:01', 10), (1, '2020-02-02 20:00:02', 11), (2, '2020-02-02 20:00:02', 10)",
      );
      await q.waitFor((rows) => rows.length >= 1, 'the first emission');
      expect(q.rows).toEqual([['1', '10', '2020-02-02 20:00:01.0', '11', '2']]);
      await t.query("INSERT INTO ticks (i8, dt, f32) VALUES (2, '2020-02-02 20:00:03', 4), (2, '2020-02-02 20:00:04', 6)");
      await q.waitFor((rows) => rows.length >= 2, 'the second emission');
      expect(q.rows[1]).toEqual(['2', '20', '2020-02-02 20:00:03.0', '6', '4']);
    } finally {
      await q.stop();
    }
  });

  it('is refused with another aggregate (48) and in a historical query (2534)', async () => {
    const combined = await t.stream('SELECT i8, stock(dt, f32), count() FROM ticks GROUP BY i8');
    await combined.waitFor(() => combined.error() !== undefined, 'the error').catch((e: unknown) => e);
    expect((combined.error() as { code?: number }).code).toBe(48);
    await combined.stop();
    expect((await t.error('SELECT i8, stock(dt, f32) FROM table(ticks) GROUP BY i8')).code).toBe(2534);
  });
});
