#!/usr/bin/env node
// Runs the whole CDC pipeline once and checks it end to end (the Kafka compat suite runs this):
// changes → topic stock_changes → Hadron MV stock_levels → topic stock_levels → DuckDB replica; at the end
// the replica equals the latest row per SKU of Hadron's table(stock_levels), and both equal the totals
// computed here from the changes produced.
//
//   node examples/cdc-pipeline/check.mjs --brokers 127.0.0.1:9092 --hadron http://127.0.0.1:8123
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { produceChanges } from './produce-changes.mjs';
import { startReplica } from './replica.mjs';

const here = dirname(fileURLToPath(import.meta.url));

async function sql(url, text) {
  const res = await fetch(url, { method: 'POST', body: text });
  const body = await res.text();
  if (!res.ok) throw new Error(`${text.slice(0, 120)}…: ${body.trim()}`);
  return body;
}

async function waitFor(what, check, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last === true) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function expectedRows(changes) {
  const bySku = new Map();
  for (const c of changes) {
    const s = bySku.get(c.sku) ?? { onHand: 0, movements: 0, last: '' };
    s.onHand += c.qty_delta;
    s.movements++;
    if (c.changed_at > s.last) s.last = c.changed_at;
    bySku.set(c.sku, s);
  }
  return [...bySku].sort(([a], [b]) => (a < b ? -1 : 1)).map(([sku, s]) => `${sku}\t${s.onHand}\t${s.movements}\t${s.last}`);
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const firstDiff = (a, b) => {
  const i = a.findIndex((x, j) => x !== b[j]);
  return `${a.length} vs ${b.length} rows; first difference: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
};

export async function runCdcExample({ brokers, hadronUrl, log = console.log }) {
  const admin = new Admin({ clientId: 'cdc-setup', bootstrapBrokers: [brokers] });
  try {
    const existing = await admin.listTopics();
    const missing = ['stock_changes', 'stock_levels'].filter((t) => !existing.includes(t));
    if (missing.length) await admin.createTopics({ topics: missing, partitions: 3, replicas: 1 });
  } finally {
    await admin.close();
  }
  const statements = readFileSync(join(here, 'pipeline.sql'), 'utf8')
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replaceAll('{brokers}', brokers));
  for (const s of statements) await sql(hadronUrl, s);
  log('pipeline created in Hadron');
  const changes = await produceChanges({ brokers, from: 0, count: 10000 });
  const replica = await startReplica({ brokers });
  try {
    changes.push(...(await produceChanges({ brokers, from: 10000, count: 10000 })));
    const expected = expectedRows(changes);
    log(`${changes.length} changes produced over ${expected.length} SKUs`);
    const truth = (await sql(hadronUrl, "SELECT sku, sum(qty_delta), count(), max(changed_at) FROM table(stock_changes) GROUP BY sku ORDER BY sku FORMAT TSV")).trim().split('\n');
    if (!same(truth, expected)) throw new Error(`Hadron's table(stock_changes) totals differ from the changes produced: ${firstDiff(truth, expected)}`);
    await waitFor('the DuckDB replica to catch up', async () => {
      if (replica.failure()) throw replica.failure();
      const rows = await replica.rows();
      return same(rows, expected) || firstDiff(rows, expected);
    });
    log(`DuckDB replica current after ${replica.applied()} upserts`);
    const latest = (await sql(hadronUrl, 'SELECT sku, argMax(on_hand, _tp_time), argMax(movements, _tp_time), argMax(last_change, _tp_time) FROM table(stock_levels) GROUP BY sku ORDER BY sku FORMAT TSV')).trim().split('\n');
    const rows = await replica.rows();
    if (!same(rows, latest)) throw new Error(`DuckDB replica differs from Hadron's table(stock_levels): ${firstDiff(rows, latest)}`);
    log('DuckDB replica equals the latest row per SKU of table(stock_levels)');
  } finally {
    await replica.stop();
    for (const s of ['DROP VIEW IF EXISTS stock_levels_to_kafka', 'DROP VIEW IF EXISTS stock_levels', 'DROP STREAM IF EXISTS stock_levels_topic', 'DROP STREAM IF EXISTS stock_changes']) {
      await sql(hadronUrl, s).catch((e) => log(`cleanup: ${e.message}`));
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n, d) => {
    const i = process.argv.indexOf(n);
    return i >= 0 ? process.argv[i + 1] : d;
  };
  await runCdcExample({ brokers: arg('--brokers', '127.0.0.1:9092'), hadronUrl: arg('--hadron', 'http://127.0.0.1:8123') });
  console.log('ok');
}
