#!/usr/bin/env node
// A small service that keeps a DuckDB table current from Hadron's output topic: every message of topic
// `stock_levels` (key = SKU, value = JSON row) is upserted into `stock(sku PRIMARY KEY, …)`.
//
//   node examples/cdc-pipeline/replica.mjs --brokers 127.0.0.1:9092 [--db stock.duckdb]
//
// As a module: `startReplica({ brokers, dbPath })` → { rows(), applied(), stop() }.
import { Consumer } from '@platformatic/kafka';
import { DuckDBInstance } from '@duckdb/node-api';

export async function startReplica({ brokers, dbPath = ':memory:', topic = 'stock_levels', groupId = `stock-replica-${Date.now()}` }) {
  const db = await DuckDBInstance.create(dbPath);
  const con = await db.connect();
  await con.run(`CREATE TABLE IF NOT EXISTS stock (
    sku VARCHAR PRIMARY KEY, on_hand BIGINT NOT NULL, movements UBIGINT NOT NULL, last_change TIMESTAMP NOT NULL)`);
  const upsert = await con.prepare('INSERT OR REPLACE INTO stock VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP))');
  const consumer = new Consumer({ clientId: 'stock-replica', groupId, bootstrapBrokers: [brokers] });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: true, maxWaitTime: 200 });
  let applied = 0;
  let failure;
  // One message at a time, in partition order: the last version of a SKU wins.
  const loop = (async () => {
    try {
      for await (const m of stream) {
        const row = JSON.parse(m.value.toString('utf8'));
        upsert.bindVarchar(1, row.sku);
        upsert.bindBigInt(2, BigInt(row.on_hand));
        upsert.bindBigInt(3, BigInt(row.movements));
        upsert.bindVarchar(4, row.last_change);
        await upsert.run();
        applied++;
      }
    } catch (e) {
      failure = e;
    }
  })();
  return {
    applied: () => applied,
    failure: () => failure,
    /** The replica's rows as `sku on_hand movements last_change` lines, sorted by SKU. */
    async rows() {
      const r = await con.runAndReadAll("SELECT sku, on_hand, movements, strftime(last_change, '%Y-%m-%d %H:%M:%S.%g') FROM stock ORDER BY sku");
      return r.getRows().map((x) => x.map(String).join('\t'));
    },
    async stop() {
      await stream.close().catch(() => {});
      await loop;
      await consumer.close(true).catch(() => {});
      con.closeSync?.();
      db.closeSync?.();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n, d) => {
    const i = process.argv.indexOf(n);
    return i >= 0 ? process.argv[i + 1] : d;
  };
  const replica = await startReplica({ brokers: arg('--brokers', '127.0.0.1:9092'), dbPath: arg('--db', 'stock.duckdb') });
  console.log('replicating topic stock_levels into DuckDB table stock; Ctrl-C to stop');
  const timer = setInterval(() => console.log(`${replica.applied()} upserts applied`), 5000);
  process.on('SIGINT', async () => {
    clearInterval(timer);
    await replica.stop();
    process.exit(0);
  });
}
