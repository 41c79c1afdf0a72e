// The paced writer of bench/streaming.mjs, in a worker thread so that decoding streaming results in the main
// thread cannot delay it (and its own work cannot delay the receive timestamps there). Every `intervalMs` it
// inserts the rows due at `rate` rows/s so far (one HTTP `INSERT … FORMAT RowBinary` at a time, keep-alive;
// when an insert takes longer than a tick the next batch is bigger), rows
//   id UInt32 (0, 1, 2, … across the run), k UInt32 (id % keys), v Float64 (id % 1000 / 10), ts DateTime64(3)
// where `ts` is the generation time, spread evenly over the time since the previous batch, so event time tracks
// the wall clock. It records each batch's first id, size, largest ts, send time and acknowledgement time (on the
// `nowMs()` clock of streaming-client.mjs) and the number of rows per `windowMs` window of `ts`.
import http from 'node:http';
import { endianness } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const nowMs = () => performance.timeOrigin + performance.now();

/**
 * @typedef {{ url: string, table: string, rate: number, seconds: number, intervalMs: number, keys: number, windowMs: number }} WriterOptions
 * @typedef {{
 *   batches: number, firstId: Float64Array, rows: Float64Array, maxTs: Float64Array, sentAt: Float64Array, ackedAt: Float64Array,
 *   windowRows: Array<[number, number]>, totalRows: number, startedAt: number, endedAt: number, insertMsMax: number,
 * }} WriterResult
 */

/** Runs the writer in a worker; resolves with what it recorded. @param {WriterOptions} options @returns {Promise<WriterResult>} */
export function runWriter(options) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: options });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => (code ? reject(new Error(`writer exited with ${code}`)) : undefined));
  });
}

if (!isMainThread && parentPort) {
  const o = /** @type {WriterOptions} */ (workerData);
  const result = await write(o);
  parentPort.postMessage(result);
}

/** @param {WriterOptions} o @returns {Promise<WriterResult>} */
async function write(o) {
  if (endianness() !== 'LE') throw new Error('the writer fills RowBinary through typed arrays: a little-endian machine is needed');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const path = `/?query=${encodeURIComponent(`INSERT INTO ${o.table} (id, k, v, ts) FORMAT RowBinary`)}`;
  const u = new URL(o.url);
  const post = (/** @type {Buffer} */ body) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { 'content-length': body.length } }, (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => (res.statusCode === 200 ? resolve(undefined) : reject(new Error(`INSERT: HTTP ${res.statusCode} ${Buffer.concat(chunks)}`))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const cap = Math.ceil(o.rate * o.seconds * 1.1) + 16;
  const maxBatches = Math.ceil((o.seconds * 1000) / o.intervalMs) * 2 + 16;
  const firstId = new Float64Array(maxBatches);
  const rowsOf = new Float64Array(maxBatches);
  const maxTs = new Float64Array(maxBatches);
  const sentAt = new Float64Array(maxBatches);
  const ackedAt = new Float64Array(maxBatches);
  /** @type {Map<number, number>} */
  const windowRows = new Map();
  let u32 = new Uint32Array(0);
  let f64 = new Float64Array(0);
  let batches = 0;
  let sent = 0;
  let insertMsMax = 0;
  const t0 = nowMs();
  let lastTs = Math.floor(t0);
  const end = t0 + o.seconds * 1000;
  for (let tick = 1; ; tick++) {
    const now = nowMs();
    if (now >= end || batches >= maxBatches) break;
    const due = Math.min(cap, Math.floor((o.rate * (now - t0)) / 1000));
    const n = due - sent;
    if (n > 0) {
      if (u32.length < n * 6) {
        const ab = new ArrayBuffer(n * 24 * 2);
        u32 = new Uint32Array(ab);
        f64 = new Float64Array(ab);
      }
      const tsNow = Math.max(lastTs, Math.floor(now));
      let w = -1;
      let wRows = 0;
      // Row j: u32[6j] id, u32[6j + 1] k, f64[3j + 1] v, u32[6j + 4 .. 6j + 5] ts (little-endian Int64).
      for (let j = 0; j < n; j++) {
        const id = sent + j;
        const ts = lastTs + Math.floor(((tsNow - lastTs) * (j + 1)) / n);
        u32[6 * j] = id;
        u32[6 * j + 1] = id % o.keys;
        f64[3 * j + 1] = (id % 1000) / 10;
        u32[6 * j + 4] = ts % 4294967296;
        u32[6 * j + 5] = Math.floor(ts / 4294967296);
        const win = ts - (ts % o.windowMs);
        if (win !== w) {
          if (wRows) windowRows.set(w, (windowRows.get(w) ?? 0) + wRows);
          w = win;
          wRows = 0;
        }
        wRows++;
      }
      if (wRows) windowRows.set(w, (windowRows.get(w) ?? 0) + wRows);
      lastTs = tsNow;
      firstId[batches] = sent;
      rowsOf[batches] = n;
      maxTs[batches] = tsNow;
      sentAt[batches] = nowMs();
      await post(Buffer.from(u32.buffer, 0, n * 24));
      ackedAt[batches] = nowMs();
      insertMsMax = Math.max(insertMsMax, ackedAt[batches] - sentAt[batches]);
      batches++;
      sent = due;
    }
    const wait = t0 + tick * o.intervalMs - nowMs();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else tick = Math.ceil((nowMs() - t0) / o.intervalMs);
  }
  const endedAt = nowMs();
  agent.destroy();
  return {
    batches,
    firstId: firstId.slice(0, batches),
    rows: rowsOf.slice(0, batches),
    maxTs: maxTs.slice(0, batches),
    sentAt: sentAt.slice(0, batches),
    ackedAt: ackedAt.slice(0, batches),
    windowRows: [...windowRows],
    totalRows: sent,
    startedAt: t0,
    endedAt,
    insertMsMax,
  };
}
