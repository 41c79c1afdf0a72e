#!/usr/bin/env node
// Produces stock changes (what a CDC tool such as Debezium or PeerDB would publish) into topic
// `stock_changes`: `{"change_id", "sku", "warehouse", "qty_delta", "changed_at"}`, keyed by SKU.
//
//   node examples/cdc-pipeline/produce-changes.mjs --brokers 127.0.0.1:9092 [--count 20000] [--from 0]
import { Producer } from '@platformatic/kafka';

/** Deterministic changes: change i touches SKU i*7 mod skus. */
export function makeChanges(from, count, skus = 200) {
  const out = [];
  for (let i = from; i < from + count; i++) {
    const sku = `sku-${String((i * 7) % skus).padStart(4, '0')}`;
    const qty = ((i * 31) % 21) - 8; // -8 … +12
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('T', ' ').replace('Z', '');
    out.push({ change_id: i, sku, warehouse: `wh-${i % 3}`, qty_delta: qty, changed_at: at });
  }
  return out;
}

export async function produceChanges({ brokers, from = 0, count = 20000, topic = 'stock_changes' }) {
  const producer = new Producer({ clientId: 'cdc-source', bootstrapBrokers: [brokers], acks: -1 });
  try {
    const changes = makeChanges(from, count);
    for (let i = 0; i < changes.length; i += 5000) {
      await producer.send({
        messages: changes.slice(i, i + 5000).map((c) => ({ topic, key: Buffer.from(c.sku), value: Buffer.from(JSON.stringify(c)) })),
      });
    }
    return changes;
  } finally {
    await producer.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n, d) => {
    const i = process.argv.indexOf(n);
    return i >= 0 ? process.argv[i + 1] : d;
  };
  const changes = await produceChanges({ brokers: arg('--brokers', '127.0.0.1:9092'), from: Number(arg('--from', '0')), count: Number(arg('--count', '20000')) });
  console.log(`produced ${changes.length} changes`);
}
