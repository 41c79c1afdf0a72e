#!/usr/bin/env node
// The Kafka compat suite: a real Apache Kafka broker (KRaft, kafka-broker.mjs), kcat from Debian as the
// independent producer and consumer, and Hadron's external streams in between.
//
//   node compat-tests/kafka/run.mjs [--filter REGEX] [--strict] [--verbose]
//
// Ends with `N passed, N failed, N skipped`. Build first (npm run build).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafka, SASL_USER, SASL_PASSWORD } from './kafka-broker.mjs';
import { startHadron } from '../lib/hadron-server.mjs';
import { httpQuery } from '../lib/http-query.mjs';
import { waitUntil } from '../lib/wait.mjs';

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const verbose = args.includes('--verbose');
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? new RegExp(args[filterAt + 1] ?? '') : null;

/** Runs a shell pipeline; resolves stdout. */
function sh(cmd, { input, timeoutMs = 120000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile('/bin/bash', ['-c', cmd], { maxBuffer: 1 << 30, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd.slice(0, 200)}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A statement over HTTP; throws with the server's message on an error. */
async function q(url, sql, settings) {
  const r = await httpQuery(url, sql, { settings, timeoutMs: 120000 });
  if (!r.ok) throw new Error(`${sql.slice(0, 160)}\n  -> ${r.message ?? r.text}`);
  return r.text;
}

/** A statement that must fail; returns the message. */
async function qFails(url, sql) {
  const r = await httpQuery(url, sql, { timeoutMs: 60000 });
  if (r.ok) throw new Error(`expected an error from: ${sql}`);
  return `${r.errorName}: ${r.message}`;
}

/**
 * A streaming query over HTTP (TSV): calls `onRow(fields)` for each row until it returns true, then cancels.
 * Resolves the rows seen; rejects after timeoutMs.
 */
async function streamUntil(url, sql, onRow, { timeoutMs = 60000, settings = {} } = {}) {
  const u = new URL(url);
  u.searchParams.set('default_format', 'TSV');
  for (const [k, v] of Object.entries(settings)) u.searchParams.set(k, String(v));
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error(`timed out after ${timeoutMs} ms: ${sql}`)), timeoutMs);
  const rows = [];
  let buf = '';
  let finished = false;
  try {
    const res = await fetch(u, { method: 'POST', body: sql, signal: ac.signal });
    if (!res.ok) throw new Error(`${sql}: ${await res.text()}`);
    const dec = new TextDecoder();
    for await (const chunk of res.body) {
      buf += dec.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const fields = line.split('\t');
        rows.push(fields);
        if (onRow(fields, rows)) {
          finished = true;
          ac.abort();
          return rows;
        }
      }
    }
    throw new Error(`the streaming query ended by itself after ${rows.length} rows: ${sql}`);
  } catch (e) {
    if (finished) return rows;
    throw ac.signal.aborted ? ac.signal.reason : e;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a streaming query in the background; `ready` resolves once the server lists it as running. */
function streamInBackground(url, sql, onRow, opts = {}) {
  const queryId = `kafka-${Math.random().toString(36).slice(2)}`;
  const done = streamUntil(url, sql, onRow, { ...opts, settings: { ...(opts.settings ?? {}), query_id: queryId } });
  const ready = waitUntil(async () => (await q(url, `SELECT count() FROM system.processes WHERE query_id = '${queryId}'`)).trim() === '1', { what: `query ${queryId} to run`, timeoutMs: 20000 });
  return { done, ready };
}

function assertEq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
let kafka;
let hadron;
let topicSeq = 0;
const topic = async (partitions = 1) => {
  const t = `t${++topicSeq}_${Date.now().toString(36)}`;
  await kafka.createTopic(t, partitions);
  return t;
};
const ext = (name, cols, t, extra = '') =>
  q(hadron.url, `CREATE EXTERNAL STREAM ${name} (${cols}) SETTINGS type='kafka', brokers='${kafka.brokers}', topic='${t}'${extra ? `, ${extra}` : ''}`);
const kcatProduce = (t, lines, extra = '') => sh(`kcat -P -b ${kafka.brokers} -t ${t} ${extra}`, { input: lines });
const kcatConsume = (t, extra = '') => sh(`kcat -C -b ${kafka.brokers} -t ${t} -e -q -o beginning ${extra}`);

test('1,000,000 JSON messages from kcat over 3 partitions: table(e) and a streaming count from earliest', async () => {
  const t = await topic(3);
  const started = Date.now();
  await sh(`seq 1 1000000 | awk '{printf "{\\"id\\":%d,\\"name\\":\\"n%d\\"}\\n", $1, $1 % 1000}' | kcat -P -b ${kafka.brokers} -t ${t} -X linger.ms=20 -X batch.num.messages=50000`);
  const produced = Date.now();
  await ext('big', 'id int64, name string', t, "data_format='JSONEachRow'");
  const res = (await q(hadron.url, 'SELECT count(), sum(id), uniqExact(_tp_shard), min(_tp_sn) FROM table(big)')).trim();
  assertEq(res, `1000000\t500000500000\t3\t0`, 'table(big)');
  const counted = Date.now();
  let last = '';
  await streamUntil(hadron.url, "SELECT count() FROM big SETTINGS seek_to='earliest'", ([c]) => {
    last = c;
    return c === '1000000';
  }, { timeoutMs: 60000 });
  if (verbose) console.log(`      kcat produce ${produced - started} ms, table() count ${counted - produced} ms, streaming count ${Date.now() - counted} ms (last ${last})`);
});

test('virtual columns: _tp_shard = partition, _tp_sn = offset, _tp_time = message timestamp, _tp_message_key', async () => {
  const t = await topic(2);
  await kcatProduce(t, 'k1:{"v":1}\nk2:{"v":2}\n', '-K: -p 1');
  await ext('virt', 'v int', t);
  const rows = (await q(hadron.url, 'SELECT v, _tp_shard, _tp_sn, _tp_message_key, _tp_time > now64() - INTERVAL 5 MINUTE, _tp_time <= now64() FROM table(virt) ORDER BY v')).trim();
  assertEq(rows, '1\t1\t0\tk1\t1\t1\n2\t1\t1\tk2\t1\t1', 'virtual columns');
  const star = (await q(hadron.url, 'SELECT * FROM table(virt) ORDER BY v')).trim();
  assertEq(star, '1\n2', 'SELECT * hides the virtual columns');
});

test("streaming read: only new messages by default, seek_to='earliest', seek_to a time, shards='1'", async () => {
  const t = await topic(3);
  await kcatProduce(t, '{"id":1}\n', '-p 0');
  await kcatProduce(t, '{"id":2}\n', '-p 1');
  await ext('live', 'id int', t);
  // From the earliest offset, a message produced once the query runs is read whenever the query positions itself.
  const earliest = streamInBackground(hadron.url, "SELECT id FROM live SETTINGS seek_to='earliest'", (_r, rows) => rows.length === 3);
  const shard1 = streamInBackground(hadron.url, "SELECT id, _tp_shard FROM live SETTINGS shards='1', seek_to='earliest'", (_r, rows) => rows.length === 2);
  await Promise.all([earliest.ready, shard1.ready]);
  await kcatProduce(t, '{"id":3}\n', '-p 1');
  assertEq((await earliest.done).map((r) => r[0]).sort(), ['1', '2', '3'], 'earliest');
  assertEq((await shard1.done).map((r) => r.join(' ')), ['2 1', '3 1'], "shards='1'");
  // The latest offsets are resolved at the query's first read, a moment after it shows in system.processes:
  // a message produced in between is before its start. So the new message is produced until the query sees it,
  // and what is checked is that nothing older ever comes.
  const latest = streamInBackground(hadron.url, 'SELECT id FROM live', () => true);
  await latest.ready;
  await produceUntilSeen(t, '{"id":5}\n', '-p 1', latest.done);
  assertEq((await latest.done).map((r) => r[0]), ['5'], 'default (latest)');
  const future = new Date(Date.now() + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const past = new Date(Date.now() - 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const fromPast = await streamUntil(hadron.url, `SELECT id FROM live SETTINGS seek_to='${past}'`, (_r, rows) => ['1', '2', '3', '5'].every((id) => rows.some((r) => r[0] === id)));
  assertEq(fromPast.map((r) => r[0]).filter((id) => id !== '5').sort(), ['1', '2', '3'], 'seek_to an hour ago');
  const fromFuture = streamInBackground(hadron.url, `SELECT id FROM live SETTINGS seek_to='${future}'`, () => true);
  await fromFuture.ready;
  await produceUntilSeen(t, '{"id":4}\n', '-p 2', fromFuture.done);
  assertEq((await fromFuture.done).map((r) => r[0]), ['4'], 'seek_to in the future: only new messages');
});

/** Produces `line` every 300 ms until `seen` (a streaming query waiting for it) settles. */
async function produceUntilSeen(t, line, extra, seen) {
  let settled = false;
  const watch = seen.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 60 && !settled; i++) {
    await kcatProduce(t, line, extra);
    await Promise.race([watch, new Promise((r) => setTimeout(r, 300))]);
  }
}

test('bad messages are counted and skipped; the query goes on', async () => {
  const t = await topic(1);
  await kcatProduce(t, '{"id":1,"s":"a"}\nnot json at all\n{"id":"x"}\n{"id":2,"s":"b"}\n{"id":3}\n');
  await ext('mixed', 'id int, s string', t);
  assertEq(await q(hadron.url, 'SELECT id, s FROM table(mixed) ORDER BY id'), '1\ta\n2\tb\n3\t\n', 'good rows kept');
  const s = streamInBackground(hadron.url, "SELECT id FROM mixed SETTINGS seek_to='earliest'", ([id]) => id === '4');
  await s.ready;
  await kcatProduce(t, '{{{{\n{"id":4}\n');
  assertEq((await s.done).map((r) => r[0]), ['1', '2', '3', '4'], 'streaming read skips bad messages');
});

test('INSERT INTO an external stream: sharding_expr picks the partition, message_key the key, kcat reads them', async () => {
  const t = await topic(3);
  await ext('sharded', 'id int, value string', t, "data_format='JSONEachRow', sharding_expr='to_int(id)', message_key='to_string(id * 10)'");
  await q(hadron.url, "INSERT INTO sharded (id, value) VALUES (1, 'aaaa'), (2, 'aaaa'), (3, 'aaaa'), (1, 'bbbb')");
  const out = (await kcatConsume(t, "-f '%p %k %s\\n'")).trim().split('\n').sort();
  assertEq(out, ['0 30 {"id":3,"value":"aaaa"}', '1 10 {"id":1,"value":"aaaa"}', '1 10 {"id":1,"value":"bbbb"}', '2 20 {"id":2,"value":"aaaa"}'], 'kcat sees partition, key and JSON');
  assertEq((await q(hadron.url, "SELECT id, value FROM table(sharded) SETTINGS shards='1'")).trim(), '1\taaaa\n1\tbbbb', 'read back shard 1');
});

test('data formats CSV, TSV and RawBLOB both ways', async () => {
  for (const [fmt, expected] of [
    ['CSV', ['1,"a,b"', '2,"x""y"']],
    ['TSV', ['1\ta,b', '2\tx"y']],
  ]) {
    const t = await topic(1);
    await ext(`f_${fmt}`, 'id int, s string', t, `data_format='${fmt}', one_message_per_row=true`);
    await q(hadron.url, `INSERT INTO f_${fmt} VALUES (1, 'a,b'), (2, 'x"y')`);
    assertEq((await kcatConsume(t)).trim().split('\n'), expected, `${fmt} messages`);
    assertEq((await q(hadron.url, `SELECT id, s FROM table(f_${fmt}) ORDER BY id`)).trim(), '1\ta,b\n2\tx"y', `${fmt} read back`);
  }
  const t = await topic(1);
  await kcatProduce(t, 'plain text one\n{"not":"parsed"}\n');
  await ext('rawt', 'raw string', t);
  assertEq((await q(hadron.url, 'SELECT raw FROM table(rawt) ORDER BY _tp_sn')).trim(), 'plain text one\n{"not":"parsed"}', 'RawBLOB read');
  await q(hadron.url, "INSERT INTO rawt (raw) VALUES ('written by hadron')");
  assertEq((await kcatConsume(t)).trim().split('\n').pop(), 'written by hadron', 'RawBLOB write');
});

test('SASL: PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; a wrong password is an error', async () => {
  const t = await topic(1);
  await kcatProduce(t, '{"id":7}\n');
  for (const mech of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']) {
    const name = `sasl_${mech.replace(/-/g, '_')}`;
    await q(hadron.url, `CREATE EXTERNAL STREAM ${name} (id int) SETTINGS type='kafka', brokers='${kafka.saslBrokers}', topic='${t}', data_format='JSONEachRow', security_protocol='SASL_PLAINTEXT', sasl_mechanism='${mech}', username='${SASL_USER}', password='${SASL_PASSWORD}'`);
    assertEq((await q(hadron.url, `SELECT id FROM table(${name})`)).trim(), '7', mech);
  }
  const shown = await q(hadron.url, 'SHOW CREATE sasl_PLAIN');
  if (shown.includes(SASL_PASSWORD) || !shown.includes('HIDDEN')) throw new Error(`SHOW CREATE shows the password: ${shown}`);
  await qFails(hadron.url, `CREATE EXTERNAL STREAM sasl_bad (id int) SETTINGS type='kafka', brokers='${kafka.saslBrokers}', topic='${t}', security_protocol='SASL_PLAINTEXT', sasl_mechanism='SCRAM-SHA-256', username='${SASL_USER}', password='wrong'`);
});

test('bad settings are errors: unknown type, no topic, a missing topic, an unknown property', async () => {
  const msgs = [
    await qFails(hadron.url, "CREATE EXTERNAL STREAM x1 (raw string) SETTINGS type='pulsar', brokers='a:1', topic='t'"),
    await qFails(hadron.url, `CREATE EXTERNAL STREAM x2 (raw string) SETTINGS type='kafka', brokers='${kafka.brokers}'`),
    await qFails(hadron.url, `CREATE EXTERNAL STREAM x3 (raw string) SETTINGS type='kafka', brokers='${kafka.brokers}', topic='does_not_exist'`),
    await qFails(hadron.url, `CREATE EXTERNAL STREAM x4 (raw string) SETTINGS type='kafka', brokers='${kafka.brokers}', topic='t', properties='bogus.setting=1'`),
  ];
  if (!/does not exist/.test(msgs[2])) throw new Error(`missing topic: ${msgs[2]}`);
  assertEq((await q(hadron.url, "SELECT count() FROM system.tables WHERE name LIKE 'x_'")).trim(), '0', 'nothing created');
});

test('MV from a stream into an external stream: kcat consumes every row', async () => {
  const t = await topic(2);
  await q(hadron.url, 'CREATE STREAM mv_src (id int64, name string)');
  await ext('mv_out', 'id int64, name string', t, "data_format='JSONEachRow'");
  await q(hadron.url, 'CREATE MATERIALIZED VIEW mv_k INTO mv_out AS SELECT id, name FROM mv_src');
  await q(hadron.url, 'INSERT INTO mv_src (id, name) SELECT number, to_string(number) FROM numbers(100000)');
  await waitUntil(async () => Number((await sh(`kcat -C -b ${kafka.brokers} -t ${t} -e -q -o beginning | wc -l`)).trim()) >= 100000, { what: 'kcat to see 100000 rows', timeoutMs: 60000, intervalMs: 500 });
  const ids = (await sh(`kcat -C -b ${kafka.brokers} -t ${t} -e -q -o beginning | sed -E 's/.*"id":"?([0-9]+).*/\\1/' | sort -n | uniq | wc -l`)).trim();
  assertEq(ids, '100000', 'distinct ids in the topic');
});

/**
 * SIGKILL of Hadron while a materialized view writes a stream into Kafka (and another reads Kafka into a
 * stream): after a restart on the same data directory every acknowledged row reaches its destination.
 */
test('SIGKILL mid-flow and restart: no row missing (stream -> Kafka and Kafka -> stream)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hadron-kafka-kill-'));
  let own;
  try {
    own = await startHadron({ dataDir, keepDataDir: true });
    const tOut = await topic(3);
    const tIn = await topic(3);
    await q(own.url, 'CREATE STREAM k_src (id int64)');
    await q(own.url, `CREATE EXTERNAL STREAM k_out (id int64) SETTINGS type='kafka', brokers='${kafka.brokers}', topic='${tOut}'`);
    await q(own.url, 'CREATE MATERIALIZED VIEW k_mv INTO k_out AS SELECT id FROM k_src');
    await q(own.url, `CREATE EXTERNAL STREAM k_in (id int64) SETTINGS type='kafka', brokers='${kafka.brokers}', topic='${tIn}'`);
    await q(own.url, 'CREATE STREAM k_sink (id int64)');
    await q(own.url, "CREATE MATERIALIZED VIEW k_mv2 INTO k_sink AS SELECT id FROM k_in SETTINGS seek_to='earliest'");
    const BATCH = 5000;
    let next = 0;
    let acked = 0;
    // Inserts into the stream and produces into Kafka until the kill; counts only acknowledged inserts.
    const producer = (async () => {
      for (;;) {
        const from = next;
        next += BATCH;
        try {
          await q(own.url, `INSERT INTO k_src (id) SELECT number + ${from} FROM numbers(${BATCH})`);
          acked = next;
        } catch {
          return;
        }
      }
    })();
    await sh(`seq 0 199999 | awk '{printf "{\\"id\\":%d}\\n", $1}' | kcat -P -b ${kafka.brokers} -t ${tIn} -X linger.ms=5`);
    // Kill once the Kafka -> stream view has consumed and checkpointed the first 200,000 messages (it must resume
    // exactly there), while the stream -> Kafka view is mid-flow.
    await waitUntil(async () => acked >= 60000, { what: 'rows flowing', timeoutMs: 60000 });
    await waitUntil(
      async () => {
        const [sn, cp] = (await q(own.url, "SELECT processed_sn, checkpoint_sn FROM system.materialized_views WHERE name = 'k_mv2'")).trim().split('\t');
        const n = Number((await q(own.url, 'SELECT count() FROM table(k_sink)')).trim());
        if (verbose) console.log(`      k_mv2 processed_sn ${sn} checkpoint_sn ${cp} k_sink ${n}`);
        return n >= 200000 && cp !== "-1" && Number(cp) >= Number(sn);
      },
      { what: 'k_mv2 to checkpoint 200000 messages', timeoutMs: 60000, intervalMs: 200 },
    );
    if (verbose) console.log(`      before the kill: ${(await q(own.url, "SELECT name, processed_sn, checkpoint_sn, checkpoints, emitted_rows FROM system.materialized_views FORMAT JSONCompactEachRow")).trim().replace(/\n/g, ' ')}`);
    process.kill(own.pid, 'SIGKILL');
    await producer;
    await own.stop();
    own = await startHadron({ dataDir, keepDataDir: true });
    await sh(`seq 200000 299999 | awk '{printf "{\\"id\\":%d}\\n", $1}' | kcat -P -b ${kafka.brokers} -t ${tIn} -X linger.ms=5`);
    const total = acked;
    const ackedRows = Number((await q(own.url, 'SELECT count() FROM table(k_src)')).trim());
    if (ackedRows < total) throw new Error(`k_src lost acknowledged rows: ${ackedRows} < ${total}`);
    await waitUntil(async () => Number((await sh(`kcat -C -b ${kafka.brokers} -t ${tOut} -e -q -o beginning | sort -u | wc -l`)).trim()) >= ackedRows, { what: `all ${ackedRows} rows in topic ${tOut}`, timeoutMs: 90000, intervalMs: 1000 });
    const lines = (await sh(`kcat -C -b ${kafka.brokers} -t ${tOut} -e -q -o beginning | wc -l`)).trim();
    const distinct = (await sh(`kcat -C -b ${kafka.brokers} -t ${tOut} -e -q -o beginning | sort -u | wc -l`)).trim();
    await waitUntil(async () => Number((await q(own.url, 'SELECT uniqExact(id) FROM table(k_sink)')).trim()) >= 300000, { what: 'all 300000 Kafka rows in k_sink', timeoutMs: 90000, intervalMs: 1000 });
    const sink = (await q(own.url, 'SELECT count(), uniqExact(id), min(id), max(id) FROM table(k_sink)')).trim().split('\t');
    console.log(`      stream -> Kafka: ${ackedRows} rows acknowledged (${total} by the client before the kill), ${distinct} distinct in the topic, ${Number(lines) - Number(distinct)} duplicates`);
    console.log(`      Kafka -> stream: 300000 messages, ${sink[1]} distinct in the stream, ${Number(sink[0]) - Number(sink[1])} duplicates`);
    assertEq([sink[0], sink[1], sink[2], sink[3]], ['300000', '300000', '0', '299999'], 'k_sink count/distinct/min/max (resumed exactly at its checkpoint)');
  } finally {
    await own?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("logstore='kafka': two Hadron processes on one broker both see rows inserted into either; a restart applies nothing twice", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hadron-kafka-log-'));
  let other;
  try {
    other = await startHadron({ dataDir, keepDataDir: true });
    const ddl = `CREATE STREAM shared_log (id int64, who string) SETTINGS logstore='kafka', logstore_kafka_brokers='${kafka.brokers}', shards=2`;
    await q(hadron.url, ddl);
    await q(other.url, ddl);
    const watch = streamInBackground(other.url, 'SELECT id FROM shared_log', ([id]) => id === '100999');
    await watch.ready;
    await q(hadron.url, "INSERT INTO shared_log (id, who) SELECT number + 100000, 'a' FROM numbers(1000)");
    // read-your-writes on the writer; the other sees the rows through the topic
    assertEq((await q(hadron.url, 'SELECT count() FROM table(shared_log)')).trim(), '1000', 'writer sees its rows at once');
    await watch.done;
    await q(other.url, "INSERT INTO shared_log (id, who) SELECT number + 200000, 'b' FROM numbers(500)");
    const both = async (url) => (await q(url, 'SELECT count(), uniqExact(id), countIf(who = \'a\'), countIf(who = \'b\') FROM table(shared_log)')).trim();
    await waitUntil(async () => (await both(hadron.url)) === '1500\t1500\t1000\t500', { what: 'the first server to see all rows', timeoutMs: 30000 });
    await waitUntil(async () => (await both(other.url)) === '1500\t1500\t1000\t500', { what: 'the second server to see all rows', timeoutMs: 30000 });
    await other.stop();
    other = await startHadron({ dataDir, keepDataDir: true });
    await q(hadron.url, "INSERT INTO shared_log (id, who) VALUES (300000, 'a')");
    await waitUntil(async () => (await both(other.url)) === '1501\t1501\t1001\t500', { what: 'the restarted server to apply only the new row', timeoutMs: 30000 });
    const topics = await kafka.admin.listTopics();
    if (!topics.includes('hadron_log_default_shared_log')) throw new Error(`log topic missing: ${topics.join(', ')}`);
  } finally {
    await other?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('example cdc-pipeline: changes -> Hadron MV -> topic -> DuckDB replica equals table(mv)', async () => {
  const { runCdcExample } = await import('../../examples/cdc-pipeline/check.mjs');
  await runCdcExample({ brokers: kafka.brokers, hadronUrl: hadron.url, log: verbose ? console.log : () => {} });
});

let passed = 0;
let failed = 0;
let skipped = 0;
const t0 = Date.now();
try {
  kafka = await startKafka();
  hadron = await startHadron({ logFile: process.env['KAFKA_SUITE_SERVER_LOG'] });
  console.log(`kafka ${kafka.brokers} (sasl ${kafka.saslBrokers}), hadron ${hadron.url}`);
} catch (e) {
  console.log(`FAIL setup\n      ${String(e?.stack ?? e).split('\n').join('\n      ')}`);
  console.log(`0 passed, ${tests.length} failed, 0 skipped`);
  await kafka?.stop();
  process.exit(strict ? 1 : 0);
}
for (const t of tests) {
  if (filter && !filter.test(t.name)) {
    skipped++;
    continue;
  }
  const started = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name} (${Date.now() - started} ms)\n      ${String(e?.stack ?? e).split('\n').slice(0, 12).join('\n      ')}`);
  }
}
await hadron.stop();
await kafka.stop();
console.log(`total ${Math.round((Date.now() - t0) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(strict && failed ? 1 : 0);
