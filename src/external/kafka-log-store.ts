import fs from 'node:fs';
import path from 'node:path';
import { Admin, type Producer } from '@platformatic/kafka';
import { concatBlocks, type Block, type Header } from '../core/block.js';
import { DbError } from '../errors/index.js';
import { getInputFormat, getOutputFormat } from '../formats/registry.js';
import type { InsertResult, PartInfo, ReadOptions, StorageStats, TableStorage, TailOptions } from '../storage/table-storage.js';
import { T } from '../types/data-type.js';
import { createProducer, kafkaError } from './kafka-clients.js';
import { KafkaTopicReader } from './kafka-reader.js';
import { parseKafkaSettings, type KafkaSettings } from './kafka-settings.js';
import { externalLog } from './external-log.js';

/**
 * A stream whose log is a Kafka topic (`CREATE STREAM … SETTINGS logstore='kafka', logstore_kafka_brokers=…,
 * shards=N`): the LogStore in front of the stream's local storage.
 *
 * - INSERT produces the completed rows (Native format, one or more messages of at most ~message.max.bytes)
 *   to one of the topic's N partitions (round robin per insert) with acks=all, then waits until this
 *   process has applied them to its local storage (read-your-writes) and returns.
 * - Every Hadron process with this stream runs an applier that tails all partitions from where it left off
 *   (offsets in `kafka-log-offsets.json` beside the local data) and appends each message's rows to its local
 *   storage (the stream's usual log + parts). So every process sees rows inserted into any of them, with
 *   the same `_tp_time` and values; `_tp_sn` is each process's own.
 * - Reads (historical and streaming) are the local storage's.
 * After a crash between a local append and the offsets file write, that message is applied again
 * (at-least-once); the file is written after every applied batch.
 */
export interface KafkaLogOptions {
  readonly name: string;
  readonly uuidDir: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly timezone: string;
  readonly defaultTopic: string;
}

export function isKafkaLogStream(settings: Readonly<Record<string, string>>): boolean {
  return (settings['logstore'] ?? '').trim().toLowerCase() === 'kafka';
}

export function kafkaLogSettings(settings: Readonly<Record<string, string>>, defaultTopic: string): { kafka: KafkaSettings; shards: number } {
  const brokers = settings['logstore_kafka_brokers'];
  if (!brokers) throw new DbError('BAD_ARGUMENTS', "logstore = 'kafka' needs SETTINGS logstore_kafka_brokers = 'host:port'");
  const shards = Number(settings['shards'] ?? '1');
  if (!Number.isInteger(shards) || shards < 1 || shards > 1000) throw new DbError('INVALID_SETTING_VALUE', `Invalid shards '${settings['shards']}': expected 1 to 1000`);
  const kafka = parseKafkaSettings(
    {
      type: 'kafka',
      brokers,
      topic: settings['logstore_kafka_topic'] ?? defaultTopic,
      data_format: 'RawBLOB',
      ...(settings['logstore_kafka_properties'] ? { properties: settings['logstore_kafka_properties'] } : {}),
    },
    [{ name: 'raw', type: T.String }],
  );
  return { kafka, shards };
}

interface Waiter {
  readonly partition: number;
  readonly offset: number;
  resolve(): void;
  reject(e: Error): void;
}

/** How long an INSERT waits for this server to apply its own rows after the brokers acknowledged them. */
const APPLY_TIMEOUT_MS = 60_000;

export class KafkaLogStream implements TableStorage {
  private readonly kafka: KafkaSettings;
  private readonly shards: number;
  private readonly offsetsFile: string;
  private readonly applied = new Map<number, number>();
  private readonly waiters: Waiter[] = [];
  private readonly controller = new AbortController();
  private producer: Producer | undefined;
  private nextShard = 0;
  private applier: Promise<void> | undefined;
  badMessages = 0;

  constructor(
    private readonly local: TableStorage,
    private readonly o: KafkaLogOptions,
  ) {
    const s = kafkaLogSettings(o.settings, o.defaultTopic);
    this.kafka = s.kafka;
    this.shards = s.shards;
    this.offsetsFile = path.join(o.uuidDir, 'kafka-log-offsets.json');
    try {
      const saved = JSON.parse(fs.readFileSync(this.offsetsFile, 'utf8')) as Record<string, number>;
      for (const [p, n] of Object.entries(saved)) this.applied.set(Number(p), n);
    } catch {
      /* first start: from the earliest offsets */
    }
  }

  get header(): Header {
    return this.local.header;
  }

  /** Creates the topic if it is missing (N partitions) and starts applying it. */
  async open(): Promise<void> {
    const admin = new Admin({ clientId: `${this.kafka.clientId}-admin`, bootstrapBrokers: [...this.kafka.brokers], timeout: this.kafka.requestTimeoutMs });
    try {
      const md = await admin.metadata({ topics: [], forceUpdate: true }).catch((e: unknown) => {
        throw kafkaError(e, `cannot reach the log store brokers ${this.kafka.brokers.join(',')}`);
      });
      if (!md.topics.has(this.kafka.topic) && !(await admin.listTopics()).includes(this.kafka.topic)) {
        await admin.createTopics({ topics: [this.kafka.topic], partitions: this.shards, replicas: -1 }).catch((e: unknown) => {
          if (!/already exists/i.test(kafkaError(e, '').message)) throw kafkaError(e, `cannot create the log topic ${this.kafka.topic}`);
        });
      }
    } finally {
      await admin.close().catch(() => undefined);
    }
    if (!fs.existsSync(this.offsetsFile)) this.saveOffsets();
    this.startApplier();
  }

  /** True once the stream's log topic was opened by this process (its offsets file exists). */
  get openedBefore(): boolean {
    return fs.existsSync(this.offsetsFile);
  }

  /** Starts the applier without checking the brokers (server start: they may be down for now). */
  startApplier(): void {
    // Retried with backoff until the stream is closed: the brokers may be down for a while (server start,
    // broker restart); INSERTs fail or time out meanwhile, reads serve what was applied.
    this.applier ??= (async () => {
      let backoff = 250;
      while (!this.controller.signal.aborted) {
        try {
          await this.apply();
          return;
        } catch (e) {
          if (this.controller.signal.aborted) return;
          const err = e instanceof DbError ? e : kafkaError(e, `log store of ${this.o.name}`);
          externalLog.warn(`${this.o.name}: the Kafka log applier failed (retrying in ${backoff} ms): ${err.message}`);
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 5000);
        }
      }
    })();
  }

  private async apply(): Promise<void> {
    const reader = new KafkaTopicReader(this.kafka, this.controller.signal);
    const native = getInputFormat('Native');
    try {
      let info = await reader.topic();
      for (;;) {
        if (this.controller.signal.aborted) return;
        const parts = Array.from({ length: info.partitions }, (_, i) => i);
        const earliest = await reader.offsets({ kind: 'earliest' }, parts);
        const start = new Map(parts.map((p) => [p, Math.max(this.applied.get(p) ?? 0, earliest.get(p) ?? 0)]));
        for await (const batch of reader.batches(start)) {
          const blocks: Block[] = [];
          for (const m of batch.messages) {
            try {
              const r = native.createReader(this.local.header, { timezone: this.o.timezone, settings: new Map(), blockRows: 1 << 30 });
              const got = [...r.push(m.value ?? Buffer.alloc(0))];
              const tail = r.end();
              if (Array.isArray(tail)) got.push(...tail);
              blocks.push(...got.filter((b) => b.rows));
            } catch (e) {
              if (++this.badMessages <= 10) externalLog.warn(`${this.o.name}: skipped an unreadable log message at partition ${m.partition} offset ${m.offset}: ${(e as Error).message}`);
            }
          }
          if (blocks.length) await this.local.insert(concatBlocks(this.local.header, blocks));
          let moved = false;
          for (const [p, n] of batch.next) {
            if (this.applied.get(p) !== n) {
              this.applied.set(p, n);
              moved = true;
            }
          }
          if (moved) {
            this.saveOffsets();
            this.wake();
          }
        }
        if (this.controller.signal.aborted) return;
        info = await reader.topic(true);
      }
    } finally {
      await reader.close();
    }
  }

  private saveOffsets(): void {
    const tmp = `${this.offsetsFile}.tmp`;
    fs.mkdirSync(path.dirname(this.offsetsFile), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.applied)));
    fs.renameSync(tmp, this.offsetsFile);
  }

  private wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if ((this.applied.get(w.partition) ?? 0) > w.offset) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private waitApplied(partition: number, offset: number): Promise<void> {
    if ((this.applied.get(partition) ?? 0) > offset) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new DbError('TIMEOUT_EXCEEDED', `${this.o.name}: the rows are in Kafka topic ${this.kafka.topic} (partition ${partition}, offset ${offset}) but this server has not applied them within ${APPLY_TIMEOUT_MS / 1000} s`));
      }, APPLY_TIMEOUT_MS);
      const w: Waiter = {
        partition,
        offset,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(w);
    });
  }

  private failWaiters(e: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(e);
  }

  async insert(block: Block): Promise<InsertResult> {
    if (!block.rows) return { firstSn: -1n, lastSn: -1n, rows: 0 };
    this.producer ??= createProducer(this.kafka);
    // Native-encoded slices of at most ~80% of message.max.bytes.
    const perRow = Math.max(1, block.byteSize / block.rows);
    const sliceRows = Math.max(1, Math.floor((this.kafka.maxMessageBytes * 0.8) / perRow));
    const values: Buffer[] = [];
    for (let at = 0; at < block.rows; at += sliceRows) {
      const chunks: Uint8Array[] = [];
      const w = getOutputFormat('Native').createWriter(this.local.header, { timezone: this.o.timezone, settings: new Map() }, (c) => chunks.push(c));
      w.writePrefix();
      w.writeBlock(block.slice(at, at + sliceRows));
      w.writeSuffix({ elapsedSeconds: 0, rowsRead: 0, bytesRead: 0 });
      values.push(Buffer.concat(chunks));
    }
    const partition = this.nextShard++ % this.shards;
    let base: number;
    try {
      const r = await this.producer.send({ messages: values.map((value) => ({ topic: this.kafka.topic, value, partition })) });
      const o = r.offsets?.find((x) => x.partition === partition);
      if (!o) throw new Error('the broker did not report the offset');
      base = Number(o.offset);
    } catch (e) {
      throw kafkaError(e, `cannot append to the log topic ${this.kafka.topic}`);
    }
    // Read-your-writes: return once this process has applied its own rows.
    await this.waitApplied(partition, base + values.length - 1);
    return { firstSn: -1n, lastSn: -1n, rows: block.rows };
  }

  read(options: ReadOptions): AsyncIterable<Block> {
    return this.local.read(options);
  }

  tail(options: TailOptions): AsyncIterable<Block> {
    if (!this.local.tail) throw new DbError('NOT_IMPLEMENTED', `${this.o.name} cannot be read as a stream`);
    return this.local.tail(options);
  }

  truncate(): Promise<void> {
    return this.local.truncate();
  }

  private async stopApplier(): Promise<void> {
    this.controller.abort();
    await this.applier;
    this.failWaiters(new DbError('ABORTED', `${this.o.name} was closed before its rows were applied`));
    const p = this.producer;
    this.producer = undefined;
    if (p) await new Promise<void>((resolve) => p.close(true, () => resolve()));
  }

  async drop(): Promise<void> {
    await this.stopApplier();
    await this.local.drop();
    fs.rmSync(this.offsetsFile, { force: true });
  }

  async close(): Promise<void> {
    await this.stopApplier();
    await this.local.close();
  }

  optimize(final: boolean): Promise<void> {
    return this.local.optimize(final);
  }

  deleteWhere(predicate: (block: Block) => Uint8Array): Promise<number> {
    return this.local.deleteWhere(predicate);
  }

  alterColumns(newHeader: Header, convert: (block: Block) => Block): Promise<void> {
    return Promise.reject(new DbError('NOT_IMPLEMENTED', `ALTER of the columns of ${this.o.name} is not supported: its log lives in Kafka topic ${this.kafka.topic}`));
  }

  stats(): StorageStats {
    return this.local.stats();
  }

  parts(): PartInfo[] {
    return this.local.parts();
  }
}
