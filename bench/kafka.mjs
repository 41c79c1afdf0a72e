#!/usr/bin/env node
// Kafka external stream throughput on the built server (dist/) against a real Apache Kafka broker (KRaft,
// compat-tests/kafka/kafka-broker.mjs) on the same machine.
//
// Consume (Kafka → Hadron): --messages JSON messages (`{"id":…,"name":"n…","amount":…}`, about 50 bytes) are
// produced by kcat into a 3-partition topic first; then
//   - `SELECT count(), sum(id) FROM table(e)`: fetch + JSONEachRow parse + aggregate, end to end;
//   - the same over a single `raw string` column (RawBLOB: no parsing);
//   - a materialized view `INTO` a stream with seek_to='earliest': time until table(stream) holds every row.
// Produce (Hadron → Kafka), acks=all:
//   - `INSERT INTO e SELECT … FROM numbers(N)`, one message per row, and with rows packed into messages;
//   - a materialized view from a stream into the external stream: time from the INSERT into the stream until
//     the topic's end offsets account for every row.
// Writes bench/results/kafka.json and the Kafka section of docs/benchmarks.md (between its markers).
//   npm run build && node bench/kafka.mjs [--messages 2000000] [--no-doc] [--only consume|produce] [--cpu-prof DIR]
// --only runs one direction (then the doc is not rewritten); --cpu-prof writes the server's V8 CPU profile to DIR.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Consumer } from '@platformatic/kafka';
import { exec, closeClient } from './lib/http-client.mjs';
import { loadAverage, machineFacts } from './lib/machine.mjs';
import { memoryOf, startHadronServer } from './lib/servers.mjs';
import { startKafka } from '../compat-tests/kafka/kafka-broker.mjs';

const { values: opts } = parseArgs({
  options: {
    messages: { type: 'string', default: '2000000' },
    'no-doc': { type: 'boolean', default: false },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(opts.messages);
const only = opts.only;
if (only !== undefined && only !== 'consume' && only !== 'produce') throw new Error('--only takes consume or produce');
const benchDir = dirname(fileURLToPath(import.meta.url));
const scratch = join(benchDir, '.data');
const outFile = join(benchDir, 'results', only ? `kafka-${only}.json` : 'kafka.json');
const docFile = join(benchDir, '..', 'docs', 'benchmarks.md');
mkdirSync(scratch, { recursive: true });
const log = (/** @type {string} */ m) => console.log(`[kafka-bench] ${m}`);
const rate = (/** @type {number} */ n, /** @type {number} */ ms) => Math.round((n / ms) * 1000);

/** Sum of a topic's end offsets (messages written). */
async function endOffsets(consumer, topic) {
  const o = await consumer.listOffsets({ topics: [topic], timestamp: -1n });
  return (o.get(topic) ?? []).reduce((s, x) => s + Number(x), 0);
}

/** CPU time (user + system, every thread) of a process so far, in ms; NaN where /proc is missing. */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

async function waitFor(check, what, timeoutMs = 600000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function run() {
  const kafka = await startKafka();
  const server = await startHadronServer({ scratch, nodeArgs: ['--max-old-space-size=8192', ...(opts['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${opts['cpu-prof']}`] : [])], logFile: join(scratch, 'kafka-hadron.log') });
  const consumer = new Consumer({ clientId: 'bench', groupId: 'bench-unused', bootstrapBrokers: [kafka.brokers] });
  const url = server.url;
  const res = { messages: N, consume: {}, produce: {} };
  /** CPU the server (all its threads) and the broker spent since `cpu0`. */
  const cpuOf = (/** @type {number[]} */ cpu0) => ({ serverCpuMs: cpuMs(server.pid) - cpu0[0], brokerCpuMs: cpuMs(kafka.pid) - cpu0[1] });
  try {
    const ext = (name, cols, topic, extra = '') =>
      exec(url, `CREATE EXTERNAL STREAM ${name} (${cols}) SETTINGS type='kafka', brokers='${kafka.brokers}', topic='${topic}'${extra ? `, ${extra}` : ''}`);
    let t;
    if (only !== 'produce') {
      // ---- consume
      await kafka.createTopic('bench_in', 3);
      t = Date.now();
      execFileSync('/bin/bash', ['-c', `seq 1 ${N} | awk '{printf "{\\"id\\":%d,\\"name\\":\\"n%d\\",\\"amount\\":%d.25}\\n", $1, $1 % 1000, $1 % 977}' | kcat -P -b ${kafka.brokers} -t bench_in -X linger.ms=20 -X batch.num.messages=50000`]);
      res.kcatProduceMs = Date.now() - t;
      log(`kcat produced ${N} messages in ${res.kcatProduceMs} ms`);
      await ext('bin', 'id int64, name string, amount float64', 'bench_in', "data_format='JSONEachRow'");
      await ext('bin_raw', 'raw string', 'bench_in');
      for (const [key, sql] of [
        ['tableJson', 'SELECT count(), sum(id) FROM table(bin)'],
        ['tableRaw', 'SELECT count() FROM table(bin_raw)'],
      ]) {
        await exec(url, sql); // warm-up (also checks)
        t = Date.now();
        const out = await exec(url, sql);
        const ms = Date.now() - t;
        if (!out.startsWith(String(N))) throw new Error(`${sql}: ${out}`);
        res.consume[key] = { ms, perS: rate(N, ms) };
        log(`${sql}: ${ms} ms, ${rate(N, ms)} messages/s`);
      }
      await exec(url, 'CREATE STREAM sink (id int64, name string, amount float64)');
      t = Date.now();
      await exec(url, "CREATE MATERIALIZED VIEW to_sink INTO sink AS SELECT id, name, amount FROM bin SETTINGS seek_to='earliest'");
      await waitFor(async () => Number(await exec(url, 'SELECT count() FROM table(sink)')) >= N, 'the stream to hold every message');
      res.consume.mvIntoStream = { ms: Date.now() - t, perS: rate(N, Date.now() - t) };
      log(`MV Kafka -> stream: ${res.consume.mvIntoStream.ms} ms, ${res.consume.mvIntoStream.perS} messages/s`);
      await exec(url, 'DROP VIEW to_sink');
    }
    if (only !== 'consume') {
      // ---- produce
      for (const [key, topic, extra] of [
        ['insertPerRow', 'bench_out1', "data_format='JSONEachRow', one_message_per_row=true"],
        ['insertPacked', 'bench_out2', "data_format='JSONEachRow'"],
      ]) {
        await kafka.createTopic(topic, 3);
        await ext(`e_${key}`, 'id int64, name string, amount float64', topic, extra);
        t = Date.now();
        const cpu0 = [cpuMs(server.pid), cpuMs(kafka.pid)];
        await exec(url, `INSERT INTO e_${key} SELECT number, concat('n', to_string(number % 1000)), number % 977 + 0.25 FROM numbers(${N})`);
        const ms = Date.now() - t;
        res.produce[key] = { ms, perS: rate(N, ms), messages: await endOffsets(consumer, topic), ...cpuOf(cpu0) };
        log(`INSERT INTO ${topic} (${extra}): ${ms} ms, ${rate(N, ms)} rows/s, ${res.produce[key].messages} messages, CPU ms server ${res.produce[key].serverCpuMs} broker ${res.produce[key].brokerCpuMs}`);
      }
      await kafka.createTopic('bench_mv', 3);
      await ext('e_mv', 'id int64, name string, amount float64', 'bench_mv', "data_format='JSONEachRow', one_message_per_row=true");
      await exec(url, 'CREATE STREAM src (id int64, name string, amount float64)');
      await exec(url, 'CREATE MATERIALIZED VIEW to_kafka INTO e_mv AS SELECT id, name, amount FROM src');
      t = Date.now();
      const cpu0 = [cpuMs(server.pid), cpuMs(kafka.pid)];
      await exec(url, `INSERT INTO src SELECT number, concat('n', to_string(number % 1000)), number % 977 + 0.25 FROM numbers(${N})`);
      await waitFor(async () => (await endOffsets(consumer, 'bench_mv')) >= N, 'the topic to hold every row');
      res.produce.mvIntoKafka = { ms: Date.now() - t, perS: rate(N, Date.now() - t), ...cpuOf(cpu0) };
      log(`MV stream -> Kafka: ${res.produce.mvIntoKafka.ms} ms, ${res.produce.mvIntoKafka.perS} rows/s, CPU ms server ${res.produce.mvIntoKafka.serverCpuMs} broker ${res.produce.mvIntoKafka.brokerCpuMs}`);
    }
    res.peakRssMiB = memoryOf(server.pid)?.peakMiB ?? NaN;
  } finally {
    await consumer.close(true).catch(() => {});
    await server.stop();
    await kafka.stop();
    closeClient();
  }
  return res;
}

function writeDoc(res) {
  const BEGIN = '<!-- kafka:begin -->';
  const END = '<!-- kafka:end -->';
  const fmt = (x) => (Number.isFinite(x) ? x.toLocaleString('en-US') : '—');
  const k = res.kafka;
  const goal = (x) => (x >= 500_000 ? '✅ met' : '❌ not met');
  const cpu = (x) => `${fmt(x.serverCpuMs)} / ${fmt(x.brokerCpuMs)} ms`;
  const L = [
    BEGIN,
    '## Kafka external streams',
    '',
    `\`node bench/kafka.mjs\` (${res.date.slice(0, 16).replace('T', ' ')} UTC, ${res.machine.nproc} vCPU, Node ${res.machine.node}, Hadron ${res.machine.hadronCommit}; load average ${res.loadStart.join(' / ')} at the start). ` +
      `Apache Kafka 3.9.1 (one KRaft broker+controller, JVM heap 512 MiB) on the same machine; ${fmt(k.messages)} JSON messages of about 50 bytes ` +
      `(\`{"id","name","amount"}\`) in a 3-partition topic, produced by kcat (${fmt(k.kcatProduceMs)} ms). Hadron, the broker and the client share the 2 cores. Writes use acks=all.`,
    '',
    '| direction | measure | messages (rows)/s | time | CPU: Hadron (all threads) / broker | goal 500,000/s |',
    '|---|---|---|---|---|---|',
    `| Kafka → Hadron | \`SELECT count(), sum(id) FROM table(e)\` (fetch + JSON parse) | ${fmt(k.consume.tableJson.perS)} | ${fmt(k.consume.tableJson.ms)} ms | — | ${goal(k.consume.tableJson.perS)} |`,
    `| Kafka → Hadron | \`SELECT count() FROM table(e)\`, one \`raw string\` column (no parse) | ${fmt(k.consume.tableRaw.perS)} | ${fmt(k.consume.tableRaw.ms)} ms | — | ${goal(k.consume.tableRaw.perS)} |`,
    `| Kafka → stream | materialized view INTO a stream, seek_to='earliest', until table(stream) has every row | ${fmt(k.consume.mvIntoStream.perS)} | ${fmt(k.consume.mvIntoStream.ms)} ms | — | ${goal(k.consume.mvIntoStream.perS)} |`,
    `| Hadron → Kafka | \`INSERT INTO e SELECT … FROM numbers(N)\`, one message per row | ${fmt(k.produce.insertPerRow.perS)} | ${fmt(k.produce.insertPerRow.ms)} ms | ${cpu(k.produce.insertPerRow)} | ${goal(k.produce.insertPerRow.perS)} |`,
    `| Hadron → Kafka | the same, rows packed into messages (${fmt(k.produce.insertPacked.messages)} messages) | ${fmt(k.produce.insertPacked.perS)} | ${fmt(k.produce.insertPacked.ms)} ms | ${cpu(k.produce.insertPacked)} | ${goal(k.produce.insertPacked.perS)} |`,
    `| stream → Kafka | materialized view INTO the external stream, one message per row, from INSERT until the end offsets count every row | ${fmt(k.produce.mvIntoKafka.perS)} | ${fmt(k.produce.mvIntoKafka.ms)} ms | ${cpu(k.produce.mvIntoKafka)} | ${goal(k.produce.mvIntoKafka.perS)} |`,
    '',
    `Server peak RSS ${fmt(k.peakRssMiB)} MiB.`,
    '',
    '### The produce path (one message per row)',
    '',
    'An INSERT (or a materialized view) formats its block in slices of 8,192 rows into packed messages — one buffer of values and typed arrays of bounds, keys, partitions ' +
      'and timestamps, no object per row — and hands each slice to a producer thread (`src/external/kafka-producer-worker.ts`, one per external stream, ended after a minute idle), ' +
      'which builds the client library\'s message objects and sends produce requests of 2,048 messages, a slice\'s four at once, in order on the client\'s one connection (a partition\'s, a key\'s messages keep their order), up to four slices at a time; the INSERT returns (the view checkpoints) ' +
      'only when the brokers acknowledged every slice (acks=all). Messages without a key or `sharding_expr` go to one partition per request, in turn (Kafka\'s sticky partitioning); ' +
      'keyed ones where Java clients put them (murmur2); `sharding_expr` picks the partition itself. The thread\'s young generation may grow to 192 MiB: the client (@platformatic/kafka 1.35) ' +
      'makes about eight small buffers per record, and garbage collection was a quarter of its time with the default. Packed rows (not one_message_per_row) are ranges of the formatted text, not copies.',
    '',
    'Measured on the library alone (pre-built 50-byte messages, acks=all, no Hadron): 5,000-message requests spread round robin over 3 partitions reached about 390,000 messages/s at ' +
      '2.7 s of client CPU per million; 2,000-message requests to one partition each, about 550,000–600,000/s at 1.7–1.8 s per million, with the broker at 0.9 s per million. ' +
      'One message per row therefore costs about 2.5 µs of CPU per row in Hadron (formatting plus the client) and 0.8 µs in the broker: on 2 cores shared with the broker ' +
      '(and with whatever else runs) that is the limit. Per thread (sampled from /proc during an INSERT of 2M rows, 5.0 s): the producer thread 3.1 s of CPU, the query thread 0.5 s, V8\'s GC helper threads 0.6 s, ' +
      'the broker 1.7 s — about 5.9 s of the 10 core-seconds, with the other engineers\' processes taking part of the rest; the producer thread, the critical path, ran about 65% of the time. ' +
      'The goal of 500,000 rows/s needs it to run nearly all the time, i.e. the 2 cores to ourselves. The figures above vary by ±20% from run to run with the machine\'s load; the CPU columns vary less.',
    '',
    'Before this change (src/external as committed in 38b18e2: the whole block formatted, then split into `Buffer`s and message objects on the query thread, 5,000-message requests with per-message round robin, ' +
      '6 in flight), alternating runs of `node bench/kafka.mjs --only produce` at load average 3–5 on 2026-11-24 10:08–10:12 UTC gave, old vs new: INSERT one message per row ' +
      '333,000–397,000 vs 406,000–430,000 rows/s (Hadron CPU 5.9–6.7 s vs 4.8–5.3 s for 2M rows); materialized view into Kafka 342,000–368,000 vs 369,000–372,000 rows/s ' +
      '(CPU 6.3–6.6 s vs 6.8–6.9 s: the view\'s own work — the source stream\'s log, its read — shares the query thread, and the producer thread is the critical path); ' +
      'packed rows 1.33–1.57M vs 1.30–1.58M rows/s (unchanged).',
    END,
  ];
  const doc = readFileSync(docFile, 'utf8');
  const section = L.join('\n');
  const next = doc.includes(BEGIN) ? doc.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(docFile, next);
}

const results = { date: new Date().toISOString(), machine: machineFacts(), loadStart: loadAverage(), kafka: await run() };
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
log(`wrote ${outFile}`);
if (!opts['no-doc'] && !only) {
  writeDoc(results);
  log('wrote the Kafka section of docs/benchmarks.md');
}
