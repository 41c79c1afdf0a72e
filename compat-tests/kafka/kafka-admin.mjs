#!/usr/bin/env node
// Topic administration for test runners (what `rpk topic create/delete` does in Proton's smoke tests):
//   node compat-tests/kafka/kafka-admin.mjs create BROKERS TOPIC [PARTITIONS]
//   node compat-tests/kafka/kafka-admin.mjs delete BROKERS TOPIC
// Both wait until the broker's metadata shows the result (a topic being deleted cannot be recreated yet).
import { Admin } from '@platformatic/kafka';

const [cmd, brokers, topic, partitionsText] = process.argv.slice(2);
if (!cmd || !brokers || !topic || !['create', 'delete'].includes(cmd)) {
  console.error('usage: kafka-admin.mjs create|delete BROKERS TOPIC [PARTITIONS]');
  process.exit(2);
}
const admin = new Admin({ clientId: 'hadron-test-admin', bootstrapBrokers: brokers.split(','), retries: 0, timeout: 5000 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const listed = async () => (await admin.metadata({ topics: [], forceUpdate: true })).topics.has(topic) || (await admin.listTopics()).includes(topic);
try {
  const end = Date.now() + 20000;
  if (cmd === 'delete') {
    if (await listed()) await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    while ((await listed()) && Date.now() < end) await sleep(100);
  } else {
    const partitions = Number(partitionsText ?? '1');
    for (;;) {
      try {
        await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
        break;
      } catch (e) {
        // still being deleted (or already there): retry until the deadline
        if (Date.now() > end) throw e;
        await sleep(200);
      }
    }
    for (;;) {
      const t = (await admin.metadata({ topics: [topic], forceUpdate: true })).topics.get(topic);
      if (t && t.partitionsCount === partitions && t.partitions.every((p) => p.leader >= 0)) break;
      if (Date.now() > end) throw new Error(`topic ${topic} has no leaders`);
      await sleep(100);
    }
  }
  await admin.close();
} catch (e) {
  console.error(`kafka-admin ${cmd} ${topic}: ${e?.message ?? e}`);
  await admin.close().catch(() => {});
  process.exit(1);
}
