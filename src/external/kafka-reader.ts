import type { Consumer } from '@platformatic/kafka';
import { DbError } from '../errors/index.js';
import { createConsumer, kafkaError } from './kafka-clients.js';
import type { KafkaSettings } from './kafka-settings.js';
import type { RawMessage } from './message-decoder.js';
import { externalLog } from './external-log.js';

const IS_CONTROL = 0x20;
/** Kafka error codes the reader recovers from. */
const OFFSET_OUT_OF_RANGE = 1;

export interface TopicInfo {
  readonly id: string;
  readonly partitions: number;
  /** Leader broker id per partition. */
  readonly leaders: readonly number[];
}

export type OffsetSpec = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'time'; ms: number };

interface PartitionFetchResponse {
  partitionIndex: number;
  errorCode: number;
  records?: { firstOffset: bigint; lastOffsetDelta: number; firstTimestamp: bigint; attributes: number; records: { offsetDelta: number; timestampDelta: bigint; key: Buffer | null; value: Buffer | null }[] }[];
}
interface FetchResponseLike {
  responses: { topicId: string; partitions: PartitionFetchResponse[] }[];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Reads chosen partitions of one topic from given offsets with plain Fetch requests (no consumer group, no
 * committed offsets: the query or materialized view owns its position). One reader per query: its own
 * connections, so one query's long poll never delays another's.
 */
export class KafkaTopicReader {
  readonly consumer: Consumer;
  private info: TopicInfo | undefined;

  constructor(
    private readonly s: KafkaSettings,
    private readonly signal: AbortSignal,
  ) {
    this.consumer = createConsumer(s);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.consumer.close(true, () => resolve()));
  }

  async topic(refresh = false): Promise<TopicInfo> {
    if (this.info && !refresh) return this.info;
    let md;
    try {
      md = await this.consumer.metadata({ topics: [this.s.topic], forceUpdate: refresh, autocreateTopics: false });
    } catch (e) {
      if (/unknown topic/i.test(kafkaError(e, '').message)) throw new DbError('RESOURCE_NOT_FOUND', `Kafka topic ${this.s.topic} does not exist on ${this.s.brokers.join(',')}`);
      throw kafkaError(e, `cannot read the metadata of topic ${this.s.topic} from ${this.s.brokers.join(',')}`);
    }
    const t = md.topics.get(this.s.topic);
    if (!t) throw new DbError('RESOURCE_NOT_FOUND', `Kafka topic ${this.s.topic} does not exist`);
    this.info = { id: t.id, partitions: t.partitionsCount, leaders: t.partitions.map((p) => p.leader) };
    return this.info;
  }

  /** The offset per partition for a start: earliest, latest (the end), or the first message at or after a time. */
  async offsets(spec: OffsetSpec, partitions: readonly number[]): Promise<Map<number, number>> {
    const timestamp = spec.kind === 'earliest' ? -2n : spec.kind === 'latest' ? -1n : BigInt(Math.floor(spec.ms));
    let got: Map<string, bigint[]>;
    try {
      got = await this.consumer.listOffsets({ topics: [this.s.topic], partitions: { [this.s.topic]: [...partitions] }, timestamp, isolationLevel: 0 });
    } catch (e) {
      throw kafkaError(e, `cannot list the offsets of topic ${this.s.topic}`);
    }
    const arr = got.get(this.s.topic) ?? [];
    const out = new Map<number, number>();
    let ends: Map<number, number> | undefined;
    for (const p of partitions) {
      let o = Number(arr[p] ?? -1n);
      if (o < 0) {
        // No message at or after the time: start at the end.
        ends ??= await this.offsets({ kind: 'latest' }, partitions);
        o = ends.get(p)!;
      }
      out.set(p, o);
    }
    return out;
  }

  /**
   * Batches of messages from `start` (partition → next offset). Bounded when `end` is given (partition → end
   * offset, exclusive): stops once every partition reached it. Unbounded otherwise: long-polls until the signal
   * aborts, riding out broker restarts. `onBatch` sees the positions after each batch (partition → next offset).
   */
  async *batches(start: Map<number, number>, end?: Map<number, number>): AsyncGenerator<{ messages: RawMessage[]; next: ReadonlyMap<number, number> }> {
    const next = new Map(start);
    const active = () => [...next].filter(([p, o]) => !end || o < (end.get(p) ?? 0)).map(([p]) => p);
    let failures = 0;
    let failingSince = 0;
    while (!this.signal.aborted) {
      const parts = active();
      if (!parts.length) return;
      let response: FetchResponseLike | undefined;
      let error: unknown;
      try {
        const info = await this.topic(failures > 0);
        response = await this.fetch(info, parts, next, !!end);
      } catch (e) {
        error = e;
        response = (e as { response?: FetchResponseLike }).response;
      }
      if (this.signal.aborted) return;
      const messages: RawMessage[] = [];
      let recovered = false;
      for (const tr of response?.responses ?? []) {
        for (const pr of tr.partitions) {
          if (pr.errorCode === OFFSET_OUT_OF_RANGE) {
            // Retention removed what we were about to read: continue at the earliest offset still held.
            const earliest = (await this.offsets({ kind: 'earliest' }, [pr.partitionIndex])).get(pr.partitionIndex)!;
            const latest = (await this.offsets({ kind: 'latest' }, [pr.partitionIndex])).get(pr.partitionIndex)!;
            const was = next.get(pr.partitionIndex)!;
            const to = was < earliest ? earliest : latest;
            externalLog.warn(`Kafka topic ${this.s.topic} partition ${pr.partitionIndex}: offset ${was} is out of range, continuing at ${to}`);
            next.set(pr.partitionIndex, to);
            recovered = true;
            continue;
          }
          if (pr.errorCode !== 0 || !pr.records) continue;
          const from = next.get(pr.partitionIndex);
          if (from === undefined) continue;
          const stop = end?.get(pr.partitionIndex) ?? Infinity;
          let last = from - 1;
          for (const batch of pr.records) {
            const first = Number(batch.firstOffset);
            last = Math.max(last, first + batch.lastOffsetDelta);
            if (batch.attributes & IS_CONTROL) continue;
            const ts0 = Number(batch.firstTimestamp);
            for (const rec of batch.records) {
              const offset = first + rec.offsetDelta;
              if (offset < from || offset >= stop) continue;
              messages.push({ partition: pr.partitionIndex, offset, timestampMs: ts0 + Number(rec.timestampDelta), key: rec.key, value: rec.value });
            }
          }
          next.set(pr.partitionIndex, last + 1);
        }
      }
      if (error && !messages.length && !recovered) {
        failures++;
        failingSince ||= Date.now();
        const err = kafkaError(error, `fetch from topic ${this.s.topic}`);
        if (end && Date.now() - failingSince > this.s.requestTimeoutMs) throw err;
        if (failures === 1 || failures % 20 === 0) externalLog.warn(`${err.message} (retrying)`);
        this.consumer.clearMetadata();
        await sleep(Math.min(100 * 2 ** Math.min(failures, 5), 2000), this.signal);
        continue;
      }
      failures = 0;
      failingSince = 0;
      yield { messages, next };
    }
  }

  private async fetch(info: TopicInfo, parts: readonly number[], next: ReadonlyMap<number, number>, bounded: boolean): Promise<FetchResponseLike> {
    // Partitions grouped by leader, one Fetch per leader, all in flight at once.
    const byLeader = new Map<number, number[]>();
    for (const p of parts) {
      const leader = info.leaders[p] ?? -1;
      if (leader < 0) throw new DbError('NETWORK_ERROR', `Kafka topic ${this.s.topic} partition ${p} has no leader`);
      let l = byLeader.get(leader);
      if (!l) byLeader.set(leader, (l = []));
      l.push(p);
    }
    const results = await Promise.all(
      [...byLeader].map(([node, ps]) =>
        this.consumer.fetch({
          node,
          maxWaitTime: bounded ? 100 : this.s.fetchWaitMaxMs,
          minBytes: 1,
          maxBytes: this.s.fetchMaxBytes,
          isolationLevel: 0,
          topics: [
            {
              topicId: info.id,
              partitions: ps.map((p) => ({ partition: p, fetchOffset: BigInt(next.get(p)!), partitionMaxBytes: this.s.partitionFetchMaxBytes, currentLeaderEpoch: -1, lastFetchedEpoch: -1 })),
            },
          ],
        }),
      ),
    );
    return { responses: results.flatMap((r) => r.responses as FetchResponseLike['responses']) };
  }
}
