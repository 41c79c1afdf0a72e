#!/usr/bin/env node
// A real Apache Kafka broker for tests: one KRaft process that is both broker and controller, on free
// loopback ports, with its jars from Maven Central (pom.xml beside this file, copied into
// target/kafka-libs by `mvn dependency:copy-dependencies` on first use).
//
//   const kafka = await startKafka();            // formats storage, starts, waits until it answers
//   kafka.brokers                                 // '127.0.0.1:PORT' (PLAINTEXT)
//   kafka.saslBrokers                             // '127.0.0.1:PORT' (SASL_PLAINTEXT: PLAIN, SCRAM-SHA-256/512)
//   await kafka.createTopic('t', 3);
//   await kafka.stop();
//
// CLI: node compat-tests/kafka/kafka-broker.mjs [--fetch-only]   (starts, prints the brokers, stops on Ctrl-C)
// SASL users: alice / alice-secret (PLAIN and both SCRAM mechanisms).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { freePorts } from '../lib/ports.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const libDir = join(here, 'target', 'kafka-libs');
export const SASL_USER = 'alice';
export const SASL_PASSWORD = 'alice-secret';

/** Copies the broker's jars from Maven Central into target/kafka-libs (idempotent). */
export function fetchKafkaJars() {
  if (existsSync(libDir) && readdirSync(libDir).some((f) => f.startsWith('kafka_2.13-'))) return;
  const r = spawnSync('mvn', ['-q', '-B', '-f', join(here, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`mvn could not fetch the Kafka jars:\n${r.stdout}\n${r.stderr}`);
}

function java(classpath, mainClass, args, opts) {
  return spawn('java', ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${opts.log4j}`, '-cp', classpath, mainClass, ...args], opts.spawn);
}

/**
 * @param {{ dataDir?: string, port?: number, saslPort?: number, controllerPort?: number, startTimeoutMs?: number, numPartitions?: number }} [options]
 */
export async function startKafka(options = {}) {
  fetchKafkaJars();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hadron-kafka-'));
  const ownDir = options.dataDir === undefined;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const free = await freePorts(3);
  const port = options.port ?? /** @type {number} */ (free[0]);
  const saslPort = options.saslPort ?? /** @type {number} */ (free[1]);
  const controllerPort = options.controllerPort ?? /** @type {number} */ (free[2]);
  const classpath = readdirSync(libDir).filter((f) => f.endsWith('.jar')).map((f) => join(libDir, f)).join(':');
  const props = join(dataDir, 'server.properties');
  const log4j = join(dataDir, 'log4j.properties');
  writeFileSync(log4j, [
    'log4j.rootLogger=WARN, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${join(dataDir, 'server.log')}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    '',
  ].join('\n'));
  const jaasUsers = `user_${SASL_USER}="${SASL_PASSWORD}"`;
  writeFileSync(props, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${jaasUsers};`,
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    `log.dirs=${join(dataDir, 'logs')}`,
    `num.partitions=${options.numPartitions ?? 1}`,
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.flush.interval.messages=9223372036854775807',
    'message.max.bytes=10485760',
    'socket.request.max.bytes=104857600',
    '',
  ].join('\n'));
  // Format the storage with a fresh cluster id and the SCRAM users.
  const spawnOpts = { stdio: ['ignore', 'pipe', 'pipe'] };
  const fmt = spawnSync('java', ['-Xmx256m', `-Dlog4j.configuration=file:${log4j}`, '-cp', classpath, 'kafka.tools.StorageTool', 'format',
    '-t', randomClusterId(), '-c', props, '--ignore-formatted',
    '--add-scram', `SCRAM-SHA-256=[name=${SASL_USER},password=${SASL_PASSWORD}]`,
    '--add-scram', `SCRAM-SHA-512=[name=${SASL_USER},password=${SASL_PASSWORD}]`], { encoding: 'utf8', ...spawnOpts });
  if (fmt.status !== 0) throw new Error(`kafka-storage format failed:\n${fmt.stdout}\n${fmt.stderr}`);
  const outFile = join(dataDir, 'stdout.log');
  const brokers = `127.0.0.1:${port}`;
  const admin = new Admin({ clientId: 'hadron-test-admin', bootstrapBrokers: [brokers], retries: 0, timeout: 2000 });
  let child;
  let exited = false;
  /** Starts the JVM on the formatted storage and waits until the broker answers. */
  const launch = async () => {
    const fd = openSync(outFile, 'a');
    child = java(classpath, 'kafka.Kafka', [props], { log4j, spawn: { stdio: ['ignore', fd, fd], detached: false } });
    closeSync(fd);
    exited = false;
    // The broker never outlives the process that started it (an exit, process.exit, an uncaught error).
    const onExit = () => child.kill('SIGKILL');
    process.once('exit', onExit);
    child.on('exit', () => {
      exited = true;
      process.removeListener('exit', onExit);
    });
    const deadline = Date.now() + (options.startTimeoutMs ?? 60000);
    for (;;) {
      if (exited) throw new Error(`the Kafka broker exited:\n${tail(outFile)}\n${tail(join(dataDir, 'server.log'))}`);
      try {
        const md = await admin.metadata({ topics: [], forceUpdate: true });
        if (md.brokers.size > 0) break;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) throw new Error(`the Kafka broker did not answer on ${brokers}:\n${tail(join(dataDir, 'server.log'))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  /** Stops the JVM (SIGTERM: a controlled shutdown), the data stays. */
  const halt = async () => {
    if (!exited) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15000);
      await done;
      clearTimeout(t);
    }
  };
  const stop = async () => {
    await halt();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (err) {
    await admin.close().catch(() => {});
    await stop();
    throw err;
  }
  return {
    brokers,
    saslBrokers: `127.0.0.1:${saslPort}`,
    dataDir,
    get pid() { return child.pid; },
    /** Stops and starts the broker again on the same ports and data (what `docker-compose restart` does). */
    async restart() {
      await halt();
      admin.clearMetadata?.();
      await launch();
    },
    /** Creates a topic (idempotent: deletes nothing) and waits until it has leaders. */
    async createTopic(/** @type {string} */ topic, partitions = 1) {
      try {
        await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
      } catch (err) {
        if (!String(err?.errors?.map?.((e) => e.message) ?? err).includes('already exists') && !JSON.stringify(err?.response ?? '').includes('"errorCode":36')) throw err;
      }
      await waitForLeaders(admin, topic, partitions);
    },
    async deleteTopic(/** @type {string} */ topic) {
      try { await admin.deleteTopics({ topics: [topic] }); } catch { /* absent */ }
      // wait until the metadata no longer lists it
      const end = Date.now() + 10000;
      while (Date.now() < end) {
        const md = await admin.metadata({ topics: [] });
        if (!md.topics.has(topic)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    admin,
    stop: async () => { await admin.close().catch(() => {}); await stop(); },
  };
}

async function waitForLeaders(admin, topic, partitions) {
  const end = Date.now() + 20000;
  for (;;) {
    try {
      const md = await admin.metadata({ topics: [topic] });
      const t = md.topics.get(topic);
      if (t && t.partitionsCount >= partitions && [...t.partitions.values()].every((p) => p.leader >= 0)) return;
    } catch { /* retry */ }
    if (Date.now() > end) throw new Error(`topic ${topic} has no leaders`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tail(file) {
  try { return readFileSync(file, 'utf8').slice(-3000); } catch { return ''; }
}

function randomClusterId() {
  // 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints)
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Buffer.from(b).toString('base64url');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--fetch-only')) {
    fetchKafkaJars();
    console.log(`jars in ${libDir}`);
  } else {
    const started = Date.now();
    const kafka = await startKafka();
    console.log(`kafka up in ${Date.now() - started} ms: brokers=${kafka.brokers} sasl=${kafka.saslBrokers} data=${kafka.dataDir}`);
    const stopAll = async () => { await kafka.stop(); process.exit(0); };
    process.on('SIGINT', stopAll);
    process.on('SIGTERM', stopAll);
    if (process.argv.includes('--smoke')) await stopAll();
  }
}
