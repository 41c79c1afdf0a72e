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
//   npm run build && node bench/kafka.mjs [--messages 2000000] [--no-doc]
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
  },
});
const N = Number(opts.messages);
const benchDir = dirname(fileURLToPath(import.meta.url));
const scratch = join(benchDir, '.data');
const outFile = join(benchDir, 'results', 'kafka.json');
const docFile = join(benchDir, '..', 'docs', 'benchmarks.md');
mkdirSync(scratch, { recursive: true });
const log = (/** @type {string} */ m) => console.log(`[kafka-bench] ${m}`);
const rate = (/** @type {number} */ n, /** @type {number} */ ms) => Math.round((n / ms) * 1000);

/** Sum of a topic's end offsets (messages written). */
async function endOffsets(consumer, topic) {
  const o = await consumer.listOffsets({ topics: [topic], timestamp: -1n });
  return (o.get(topic) ?? []).reduce((s, x) => s + Number(x), 0);
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
  const server = await startHadronServer({ scratch, nodeArgs: ['--max-old-space-size=8192'], logFile: join(scratch, 'kafka-hadron.log') });
  const consumer = new Consumer({ clientId: 'bench', groupId: 'bench-unused', bootstrapBrokers: [kafka.brokers] });
  const url = server.url;
  const res = { messages: N, consume: {}, produce: {} };
  try {
    const ext = (name, cols, topic, extra = '') =>
      exec(url, `CREATE EXTERNAL STREAM ${name} (${cols}) SETTINGS type='kafka', brokers='${kafka.brokers}', topic='${topic}'${extra ? `, ${extra}` : ''}`);
    // ---- consume
    await kafka.createTopic('bench_in', 3);
    let t = Date.now();
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
    // ---- produce
    for (const [key, topic, extra] of [
      ['insertPerRow', 'bench_out1', "data_format='JSONEachRow', one_message_per_row=true"],
      ['insertPacked', 'bench_out2', "data_format='JSONEachRow'"],
    ]) {
      await kafka.createTopic(topic, 3);
      await ext(`e_${key}`, 'id int64, name string, amount float64', topic, extra);
      t = Date.now();
      await exec(url, `INSERT INTO e_${key} SELECT number, concat('n', to_string(number % 1000)), number % 977 + 0.25 FROM numbers(${N})`);
      const ms = Date.now() - t;
      res.produce[key] = { ms, perS: rate(N, ms), messages: await endOffsets(consumer, topic) };
      log(`INSERT INTO ${topic} (${extra}): ${ms} ms, ${rate(N, ms)} rows/s, ${res.produce[key].messages} messages`);
    }
    await kafka.createTopic('bench_mv', 3);
    await ext('e_mv', 'id int64, name string, amount float64', 'bench_mv', "data_format='JSONEachRow', one_message_per_row=true");
    await exec(url, 'CREATE STREAM src (id int64, name string, amount float64)');
    await exec(url, 'CREATE MATERIALIZED VIEW to_kafka INTO e_mv AS SELECT id, name, amount FROM src');
    t = Date.now();
    await exec(url, `INSERT INTO src SELECT number, concat('n', to_string(number % 1000)), number % 977 + 0.25 FROM numbers(${N})`);
    await waitFor(async () => (await endOffsets(consumer, 'bench_mv')) >= N, 'the topic to hold every row');
    res.produce.mvIntoKafka = { ms: Date.now() - t, perS: rate(N, Date.now() - t) };
    log(`MV stream -> Kafka: ${res.produce.mvIntoKafka.ms} ms, ${res.produce.mvIntoKafka.perS} rows/s`);
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
  const L = [
    BEGIN,
    '## Kafka external streams',
    '',
    `\`node bench/kafka.mjs\` (${res.date.slice(0, 16).replace('T', ' ')} UTC, ${res.machine.nproc} vCPU, Node ${res.machine.node}, Hadron ${res.machine.hadronCommit}; load average ${res.loadStart.join(' / ')} at the start). ` +
      `Apache Kafka 3.9.1 (one KRaft broker+controller, JVM heap 512 MiB) on the same machine; ${fmt(k.messages)} JSON messages of about 50 bytes ` +
      `(\`{"id","name","amount"}\`) in a 3-partition topic, produced by kcat (${fmt(k.kcatProduceMs)} ms). Hadron, the broker and the client share the 2 cores. Writes use acks=all.`,
    '',
    '| direction | measure | messages (rows)/s | time | goal 500,000/s |',
    '|---|---|---|---|---|',
    `| Kafka → Hadron | \`SELECT count(), sum(id) FROM table(e)\` (fetch + JSON parse) | ${fmt(k.consume.tableJson.perS)} | ${fmt(k.consume.tableJson.ms)} ms | ${goal(k.consume.tableJson.perS)} |`,
    `| Kafka → Hadron | \`SELECT count() FROM table(e)\`, one \`raw string\` column (no parse) | ${fmt(k.consume.tableRaw.perS)} | ${fmt(k.consume.tableRaw.ms)} ms | ${goal(k.consume.tableRaw.perS)} |`,
    `| Kafka → stream | materialized view INTO a stream, seek_to='earliest', until table(stream) has every row | ${fmt(k.consume.mvIntoStream.perS)} | ${fmt(k.consume.mvIntoStream.ms)} ms | ${goal(k.consume.mvIntoStream.perS)} |`,
    `| Hadron → Kafka | \`INSERT INTO e SELECT … FROM numbers(N)\`, one message per row | ${fmt(k.produce.insertPerRow.perS)} | ${fmt(k.produce.insertPerRow.ms)} ms | ${goal(k.produce.insertPerRow.perS)} |`,
    `| Hadron → Kafka | the same, rows packed into messages (${fmt(k.produce.insertPacked.messages)} messages) | ${fmt(k.produce.insertPacked.perS)} | ${fmt(k.produce.insertPacked.ms)} ms | ${goal(k.produce.insertPacked.perS)} |`,
    `| stream → Kafka | materialized view INTO the external stream, one message per row, from INSERT until the end offsets count every row | ${fmt(k.produce.mvIntoKafka.perS)} | ${fmt(k.produce.mvIntoKafka.ms)} ms | ${goal(k.produce.mvIntoKafka.perS)} |`,
    '',
    `Server peak RSS ${fmt(k.peakRssMiB)} MiB.`,
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
if (!opts['no-doc']) {
  writeDoc(results);
  log('wrote the Kafka section of docs/benchmarks.md');
}
