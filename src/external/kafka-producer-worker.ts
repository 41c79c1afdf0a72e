import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DbError } from '../errors/index.js';
import type { EncodedBatch } from './message-encoder.js';

/** Messages per produce request (measured: 2,000 beats 500, 1,000, 5,000 and 10,000 — the client library's garbage per request grows with it). */
const SEND_MESSAGES = 2_048;
const SEND_BYTES = 16 << 20;
/** A producer thread with nothing to send for this long ends (the next write starts another). */
const IDLE_MS = 60_000;

/**
 * The worker: one @platformatic/kafka Producer, fed packed batches (EncodedBatch). It builds the library's
 * message objects, picks partitions (sharding_expr's when given; a keyed message's by the murmur2 partitioner
 * as Java clients do; otherwise one partition per produce request, in turn — Kafka's sticky partitioning),
 * issues a batch's produce requests at once, in order on the client's one connection per broker (so the
 * messages of a partition, of a key, keep their order across requests and batches), and answers once the
 * brokers acknowledged all of them.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { library, options, sendMessages, sendBytes } = workerData;
let producer;
const ready = import(library).then((lib) => {
  producer = new lib.Producer({ ...options, partitioner: (m, key) => lib.compatibilityPartitioner(m, key) });
});
let sticky = 0;
// No headers: one shared empty Map spares the client a Map per message.
const NO_HEADERS = new Map();
function errorOf(e) {
  const list = Array.isArray(e && e.errors) ? e.errors.map((x) => ({ message: String(x && x.message) })) : [];
  return { message: String((e && e.message) || e), errors: list, cause: e && e.cause ? { message: String(e.cause.message) } : undefined };
}
async function produce(r) {
  await ready;
  const { topic, partitionCount, count, bounds, keyBounds, partitions, timestamps } = r;
  const data = Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  const keys = r.keyData ? Buffer.from(r.keyData.buffer, r.keyData.byteOffset, r.keyData.byteLength) : undefined;
  let lastMs = NaN;
  let lastTs = 0n;
  const sends = [];
  for (let at = 0; at < count; ) {
    const from = at;
    let end = at;
    let bytes = 0;
    while (end < count && end - from < sendMessages && bytes < sendBytes) {
      bytes += bounds[2 * end + 1] - bounds[2 * end];
      end++;
    }
    at = end;
    sticky = (sticky + 1) % partitionCount;
    const chunk = new Array(end - from);
    for (let i = from; i < end; i++) {
      const ms = timestamps[i];
      if (ms !== lastMs) {
        lastMs = ms;
        lastTs = BigInt(ms);
      }
      const p = partitions ? partitions[i] : -1;
      const ks = keys ? keyBounds[2 * i] : -1;
      chunk[i - from] = {
        topic,
        value: data.subarray(bounds[2 * i], bounds[2 * i + 1]),
        key: ks >= 0 ? keys.subarray(ks, keyBounds[2 * i + 1]) : undefined,
        partition: p >= 0 ? p : ks >= 0 ? undefined : sticky,
        timestamp: lastTs,
        headers: NO_HEADERS,
      };
    }
    sends.push(producer.send({ messages: chunk }));
  }
  const results = await Promise.allSettled(sends);
  const failed = results.find((x) => x.status === 'rejected');
  if (failed) throw failed.reason;
}
async function partitionsOf(topic) {
  await ready;
  const md = await producer.metadata({ topics: [topic], autocreateTopics: false });
  const t = md.topics.get(topic);
  return t ? t.partitionsCount : -1;
}
parentPort.on('message', (r) => {
  let work;
  if (r.op === 'produce') work = produce(r).then(() => undefined);
  else if (r.op === 'partitions') work = partitionsOf(r.topic);
  else if (r.op === 'close') work = ready.then(() => new Promise((resolve) => producer.close(true, () => resolve(undefined))));
  else work = Promise.reject(new Error('unknown request ' + r.op));
  work.then(
    (value) => parentPort.postMessage({ id: r.id, value }),
    (e) => parentPort.postMessage({ id: r.id, error: errorOf(e) }),
  );
});
`;

/** A client error as it crossed the thread boundary (what kafkaError reads). */
export interface WorkerError {
  readonly message: string;
  readonly errors: { message: string }[];
  readonly cause?: { message: string };
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

let libraryUrl: string | undefined;

/**
 * A Kafka producer on a worker thread: the client library's per-message work (records, buffers, garbage) runs
 * on the other core while the query thread formats the next rows. `produce` resolves once the brokers
 * acknowledged every message (with the producer's acks), and rejects with the client's error otherwise.
 */
export class ProducerWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;
  private closing = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: object) {
    libraryUrl ??= pathToFileURL(createRequire(import.meta.url).resolve('@platformatic/kafka')).href;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      name: 'kafka-producer',
      // The client makes several short-lived buffers per message: a larger young generation than the default
      // (measured: --max-semi-space-size=32 took the client from 2.7 to 2.1 s of CPU per million messages).
      resourceLimits: { maxYoungGenerationSizeMb: 192 },
      workerData: { library: libraryUrl, options, sendMessages: SEND_MESSAGES, sendBytes: SEND_BYTES },
    });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; value?: unknown; error?: WorkerError }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(m.error);
      else p.resolve(m.value);
    });
    const fail = (e: Error) => {
      this.failed ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new DbError('NETWORK_ERROR', `Kafka: the producer thread exited (code ${code})`)));
  }

  /** False once the thread died or is closing (idle): make a new one. */
  get alive(): boolean {
    return this.failed === undefined && !this.closing;
  }

  private request<T>(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closing && msg.op !== 'close') return Promise.reject(new DbError('NETWORK_ERROR', 'Kafka: the producer thread is closed'));
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A pending request keeps the process alive; an idle producer thread does not.
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...msg, id }, transfer);
    }).finally(() => {
      if (this.pending.size) return;
      this.worker.unref();
      if (!this.closing) {
        this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
        this.idleTimer.unref();
      }
    });
  }

  /** The topic's partition count, or -1 when it does not exist. */
  partitions(topic: string): Promise<number> {
    return this.request<number>({ op: 'partitions', topic });
  }

  /** Sends every message of the batch (which cannot be used afterwards); resolves once all are acknowledged. */
  produce(topic: string, partitionCount: number, b: EncodedBatch): Promise<void> {
    // The values and keys are copied into buffers the worker takes over (a column's memory must stay here).
    // The bounds, partitions and timestamps arrays are the batch's own: they are handed over (detached here).
    let end = 0;
    for (let i = 1; i < b.bounds.length; i += 2) if (b.bounds[i]! > end) end = b.bounds[i]!;
    const data = b.data.slice(0, end);
    let keyData: Uint8Array | undefined;
    if (b.keyData && b.keyBounds) {
      let kend = 0;
      for (let i = 1; i < b.keyBounds.length; i += 2) if (b.keyBounds[i]! > kend) kend = b.keyBounds[i]!;
      keyData = b.keyData.slice(0, kend);
    }
    const transfer: ArrayBuffer[] = [data.buffer as ArrayBuffer, b.bounds.buffer as ArrayBuffer, b.timestamps.buffer as ArrayBuffer];
    if (keyData) transfer.push(keyData.buffer as ArrayBuffer);
    if (b.keyBounds) transfer.push(b.keyBounds.buffer as ArrayBuffer);
    if (b.partitions) transfer.push(b.partitions.buffer as ArrayBuffer);
    return this.request<void>(
      { op: 'produce', topic, partitionCount, count: b.count, data, bounds: b.bounds, keyData, keyBounds: b.keyBounds, partitions: b.partitions, timestamps: b.timestamps },
      transfer,
    );
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    if (this.closing) return;
    this.closing = true;
    if (!this.failed) await this.request<void>({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
