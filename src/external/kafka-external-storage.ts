import { Block, type Header } from '../core/block.js';
import { materialize } from '../columns/ops.js';
import { DbError } from '../errors/index.js';
import type { FunctionContext } from '../functions/function.js';
import type { InsertResult, PartInfo, ReadOptions, StorageStats, TableStorage, TailOptions } from '../storage/table-storage.js';
import { kafkaError, producerOptions } from './kafka-clients.js';
import { ProducerWorker } from './kafka-producer-worker.js';
import { KafkaTopicReader, type OffsetSpec } from './kafka-reader.js';
import type { KafkaSettings } from './kafka-settings.js';
import type { MessageDecoder } from './message-decoder.js';
import { MessageEncoder } from './message-encoder.js';
import { POSITION_BASE, PositionJournal } from './position-journal.js';

/** Rows per block handed to a query (a fetch can return far more messages than that). */
const SLICE_MESSAGES = 65_536;
/**
 * Rows formatted at a time by INSERT (4 produce requests of 2,048 messages), and slices handed to the producer
 * thread but not yet acknowledged.
 */
const SLICE_ROWS = 8_192;
const SLICES_IN_FLIGHT = 4;

/** Whether rows carry a non-empty `_tp_message_key` (then each row is a message). */
function hasMessageKeys(block: Block): boolean {
  const c = block.column('_tp_message_key');
  if (!c) return false;
  const col = materialize(c);
  return col.kind === 'string' && col.offsets[block.rows]! > col.offsets[0]!;
}

/** What one external stream shares between its readers and writers. */
export interface KafkaStreamShared {
  readonly name: string;
  readonly settings: KafkaSettings;
  readonly header: Header;
  readonly decoder: MessageDecoder;
  readonly encoder: MessageEncoder;
  readonly journal: PositionJournal;
  readonly functionContext: () => FunctionContext;
  /** Messages that did not parse, since the server started. */
  badMessages: number;
  producer?: ProducerWorker;
  producerPartitions?: number;
}

/** A query's view of an external stream: `SETTINGS shards='0,2'` and per-partition `seek_to='5,7,0'`. */
export interface ExternalReadScope {
  readonly shards?: readonly number[];
  readonly seekOffsets?: readonly number[];
}

/**
 * A Kafka topic as a table's storage: INSERT produces (acknowledged by the brokers before it returns),
 * `table(e)` reads every partition from the earliest offset to the end offsets at the start of the read,
 * `SELECT … FROM e` tails the partitions from seek_to until cancelled.
 */
export class KafkaExternalStorage implements TableStorage {
  constructor(
    readonly shared: KafkaStreamShared,
    private readonly scope: ExternalReadScope = {},
  ) {}

  get header(): Header {
    return this.shared.header;
  }

  /** The same stream read with a query's shards / per-partition seek offsets. */
  scoped(scope: ExternalReadScope): KafkaExternalStorage {
    return new KafkaExternalStorage(this.shared, scope);
  }

  /** Checks the brokers answer and the topic exists (CREATE). */
  async check(signal?: AbortSignal): Promise<void> {
    const reader = new KafkaTopicReader(this.shared.settings, signal ?? new AbortController().signal);
    try {
      await reader.topic();
    } finally {
      await reader.close();
    }
  }

  private async producer(): Promise<{ producer: ProducerWorker; partitions: number }> {
    const sh = this.shared;
    if (sh.producer && !sh.producer.alive) {
      void sh.producer.close();
      sh.producer = undefined;
      sh.producerPartitions = undefined;
    }
    if (!sh.producer) sh.producer = new ProducerWorker(producerOptions(sh.settings));
    if (!sh.producerPartitions) {
      let n;
      try {
        n = await sh.producer.partitions(sh.settings.topic);
      } catch (e) {
        throw kafkaError(e, `cannot read the metadata of topic ${sh.settings.topic}`);
      }
      if (n < 0) throw new DbError('RESOURCE_NOT_FOUND', `Kafka topic ${sh.settings.topic} does not exist`);
      sh.producerPartitions = n;
    }
    return { producer: sh.producer, partitions: sh.producerPartitions };
  }

  async insert(block: Block): Promise<InsertResult> {
    if (!block.rows) return { firstSn: -1n, lastSn: -1n, rows: 0 };
    const { producer, partitions } = await this.producer();
    // Slices of rows formatted here as packed messages (no object per row) while the producer thread sends the
    // previous ones; returns once the brokers acknowledged every message.
    const topic = this.shared.settings.topic;
    const encoder = this.shared.encoder;
    const fn = this.shared.functionContext();
    // Packed rows (several a message) are not sliced: a slice would end a message early.
    const perRow = this.shared.settings.oneMessagePerRow || this.shared.settings.messageKey !== undefined || hasMessageKeys(block);
    const slice = perRow ? SLICE_ROWS : block.rows;
    const sending: Promise<void>[] = [];
    let failure: unknown;
    let encodeError: unknown;
    try {
      for (let at = 0; at < block.rows && failure === undefined; at += slice) {
        const rows = block.rows <= slice ? block : block.slice(at, Math.min(block.rows, at + slice));
        const batch = encoder.encodeBatch(rows, partitions, fn);
        sending.push(producer.produce(topic, partitions, batch).catch((e: unknown) => void (failure ??= e)));
        if (sending.length >= SLICES_IN_FLIGHT) await sending.shift();
      }
    } catch (e) {
      encodeError = e;
    }
    await Promise.all(sending);
    if (encodeError !== undefined) throw encodeError;
    if (failure !== undefined) {
      this.shared.producerPartitions = undefined;
      throw kafkaError(failure, `cannot write to topic ${topic}`);
    }
    return { firstSn: -1n, lastSn: -1n, rows: block.rows };
  }

  private partitionsOf(all: number): readonly number[] {
    const list = this.scope.shards ?? Array.from({ length: all }, (_, i) => i);
    for (const p of list) {
      if (p < 0 || p >= all) throw new DbError('BAD_ARGUMENTS', `Shard ${p} does not exist: topic ${this.shared.settings.topic} has ${all} partitions`);
    }
    return list;
  }

  private headerOf(columns: readonly string[]): Header {
    return columns.map((n) => {
      const c = this.shared.header.find((h) => h.name === n);
      if (!c) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${n} in external stream ${this.shared.name}`);
      return c;
    });
  }

  /** Historical read: every partition from its earliest offset (or the first at the WHERE's _tp_time bound) to its end now. */
  async *read(o: ReadOptions): AsyncIterable<Block> {
    const header = this.headerOf(o.columns);
    const signal = o.signal ?? new AbortController().signal;
    const reader = new KafkaTopicReader(this.shared.settings, signal);
    try {
      const info = await reader.topic();
      const parts = this.partitionsOf(info.partitions);
      const minTime = o.ranges?.find((r) => r.column === '_tp_time' && r.min !== undefined)?.min;
      const start = await reader.offsets(minTime !== undefined ? { kind: 'time', ms: minTime } : { kind: 'earliest' }, parts);
      const end = await reader.offsets({ kind: 'latest' }, parts);
      const decoder = this.shared.decoder;
      for await (const batch of reader.batches(start, end)) {
        for (let at = 0; at < batch.messages.length; at += SLICE_MESSAGES) {
          const b = decoder.decode(batch.messages.slice(at, at + SLICE_MESSAGES), header);
          if (b.rows) yield b;
        }
      }
    } finally {
      await reader.close();
    }
  }

  /** Streaming read from the start (latest, earliest, a time, offsets, or a materialized view's checkpoint) until cancelled. */
  async *tail(o: TailOptions): AsyncIterable<Block> {
    const header = this.headerOf(o.columns);
    const reader = new KafkaTopicReader(this.shared.settings, o.signal);
    const journal = this.shared.journal;
    try {
      const info = await reader.topic();
      const parts = this.partitionsOf(info.partitions);
      let start: Map<number, number>;
      const s = o.start;
      if (s.kind === 'sn' && s.sn - 1 >= POSITION_BASE) {
        const pos = journal.lookup(s.sn - 1);
        if (!pos) throw new DbError('LOGICAL_ERROR', `Cannot resume ${this.shared.name} after position ${s.sn - 1}: it is no longer in the position journal`);
        start = new Map(parts.map((p) => [p, pos.get(p) ?? 0]));
      } else if (s.kind === 'sn') {
        const offs = this.scope.seekOffsets;
        start = new Map(parts.map((p, i) => [p, offs ? (offs[Math.min(i, offs.length - 1)] ?? s.sn) : s.sn]));
      } else {
        const spec: OffsetSpec = s.kind === 'time' ? { kind: 'time', ms: s.value } : s;
        start = await reader.offsets(spec, parts);
      }
      let last = new Map(start);
      if (o.onPosition) o.onPosition({ sn: journal.record(last), history: false });
      // Started before the end (earliest, a time, offsets): an empty block once the read reaches the end offsets
      // of the start marks the end of history, so an aggregation over it emits then (as a stream's tail does).
      let historyEnd = s.kind === 'latest' ? undefined : await reader.offsets({ kind: 'latest' }, parts);
      const caughtUp = (next: ReadonlyMap<number, number>) => [...historyEnd!].every(([p, end]) => (next.get(p) ?? 0) >= end);
      if (historyEnd && caughtUp(start)) {
        historyEnd = undefined;
        yield Block.empty(header);
      }
      const decoder = this.shared.decoder;
      for await (const batch of reader.batches(start)) {
        const msgs = batch.messages;
        for (let at = 0; at < msgs.length; at += SLICE_MESSAGES) {
          const slice = msgs.slice(at, at + SLICE_MESSAGES);
          const b = decoder.decode(slice, header);
          if (o.onPosition) {
            // The position this slice brings the read to: past its messages, partition by partition.
            const pos = new Map(last);
            if (at + SLICE_MESSAGES >= msgs.length) for (const [p, n] of batch.next) pos.set(p, n);
            else for (const m of slice) pos.set(m.partition, m.offset + 1);
            last = pos;
            o.onPosition({ sn: journal.record(pos), history: false });
          }
          if (b.rows) yield b;
        }
        if (!msgs.length && o.onPosition && [...batch.next].some(([p, n]) => last.get(p) !== n)) {
          last = new Map(batch.next);
          o.onPosition({ sn: journal.record(last), history: false });
        }
        if (historyEnd && caughtUp(batch.next)) {
          historyEnd = undefined;
          yield Block.empty(header);
        }
      }
    } finally {
      await reader.close();
    }
  }

  truncate(): Promise<void> {
    return Promise.reject(new DbError('NOT_IMPLEMENTED', `TRUNCATE of external stream ${this.shared.name} is not supported: the data lives in Kafka`));
  }

  async close(): Promise<void> {
    const p = this.shared.producer;
    this.shared.producer = undefined;
    this.shared.producerPartitions = undefined;
    if (p) await p.close();
  }

  async drop(): Promise<void> {
    await this.close();
    this.shared.journal.remove();
  }

  optimize(): Promise<void> {
    return Promise.resolve();
  }

  deleteWhere(): Promise<number> {
    return Promise.reject(new DbError('NOT_IMPLEMENTED', `DELETE from external stream ${this.shared.name} is not supported`));
  }

  alterColumns(): Promise<void> {
    return Promise.reject(new DbError('NOT_IMPLEMENTED', `ALTER of the columns of external stream ${this.shared.name} is not supported`));
  }

  stats(): StorageStats {
    return { rows: 0, bytes: 0, parts: 0, logRows: 0 };
  }

  parts(): PartInfo[] {
    return [];
  }
}
