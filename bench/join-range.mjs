#!/usr/bin/env node
// Memory of a stream ⋈ stream range join (the built operator, dist/): two streams of --events events each,
// `ON l.k = r.k AND date_diff_within(--range-ms, l.ts, r.ts)`, fed in arrival order block by block (both
// sides interleaved, event time advancing --rate events per second of event time per side). Every left event
// has exactly one right event with the same key and time, so the join emits --events rows.
//
// Recorded: the rows held in the join state (both sides) after each block, its peak and final value, the
// process peak RSS, and throughput (input events per second of wall time). The same run without the range
// condition (`ON l.k = r.k` only: a global join keeps every row) is measured for contrast.
//
// The operator runs in-process on synthetic sources (no server, no log): it measures the join itself.
// Writes bench/results/join-range.json and the "Streaming joins" section of docs/benchmarks.md (its markers).
//   npm run build && node bench/join-range.mjs [--events 1000000] [--block 8192] [--range-ms 2000] [--rate 10000] [--no-doc]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage, machineFacts } from './lib/machine.mjs';

const dist = new URL('../dist/src/', import.meta.url).pathname;
const { Block } = await import(join(dist, 'core/block.js'));
const { NumericColumn, StringColumn } = await import(join(dist, 'columns/column.js'));
const { dateTime64Type, simpleType } = await import(join(dist, 'types/data-type.js'));
const { StreamingJoinNode } = await import(join(dist, 'streaming/join/streaming-join.js'));

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    block: { type: 'string', default: '8192' },
    'range-ms': { type: 'string', default: '2000' },
    rate: { type: 'string', default: '10000' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(opts.events);
const BLOCK = Number(opts.block);
const RANGE_MS = Number(opts['range-ms']);
const RATE = Number(opts.rate);
const benchDir = new URL('.', import.meta.url).pathname;
const log = (/** @type {string} */ m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const UInt64 = simpleType('UInt64');
const TS = dateTime64Type(3, 'UTC');
const Str = simpleType('String');
const leftHeader = [
  { name: 'k', type: UInt64 },
  { name: 'ts', type: TS },
  { name: 'v', type: Str },
];
const rightHeader = [
  { name: 'kk', type: UInt64 },
  { name: 'tts', type: TS },
  { name: 'vv', type: Str },
];
const BASE = Date.UTC(2024, 0, 1);

/** Block of events `from`…`from+n`: key = event number, time = BASE + number / RATE seconds, a short string. */
function eventBlock(header, from, n) {
  const keys = new Float64Array(n);
  const ts = new Float64Array(n);
  const enc = new TextEncoder();
  const parts = [];
  const offsets = new Uint32Array(n + 1);
  let bytes = 0;
  for (let j = 0; j < n; j++) {
    const i = from + j;
    keys[j] = i;
    ts[j] = BASE + Math.floor((i * 1000) / RATE);
    const s = enc.encode(`e${i}`);
    parts.push(s);
    bytes += s.length;
    offsets[j + 1] = bytes;
  }
  const chars = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    chars.set(p, at);
    at += p.length;
  }
  return new Block(header, [new NumericColumn(keys), new NumericColumn(ts), new StringColumn(chars, offsets)], n);
}

/** A PlanNode over generated blocks; `turn` interleaves the two sides (left block i, then right block i). */
function source(header, side, turn) {
  return {
    header,
    children: [],
    unbounded: true,
    describe: () => `Events ${side}`,
    async *run() {
      for (let from = 0; from < EVENTS; from += BLOCK) {
        await turn(side, from);
        yield eventBlock(header, from, Math.min(BLOCK, EVENTS - from));
      }
    },
  };
}

/** Lets the sides alternate strictly: side 0 block b, side 1 block b, side 0 block b+1, … */
function alternation() {
  let next = 0;
  const waiters = [];
  const wake = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.side === next % 2 && w.from === Math.floor(next / 2) * BLOCK) {
        waiters.splice(i, 1);
        next++;
        w.resolve();
      }
    }
  };
  return (side, from) =>
    new Promise((resolve) => {
      waiters.push({ side, from, resolve });
      wake();
      setImmediate(wake);
    });
}

const col = (i, type, name) => ({ type, name, eval: (b) => b.columns[i] });

async function run(withRange) {
  if (global.gc) global.gc();
  const turn = alternation();
  const bucket = Math.floor((2 * RANGE_MS + 1) / 2);
  const node = new StreamingJoinNode(source(leftHeader, 0, turn), source(rightHeader, 1, turn), {
    kind: 'INNER',
    strictness: 'ALL',
    left: { keys: [col(0, UInt64, 'k')], time: withRange ? col(1, TS, 'ts') : undefined, deltaAt: -1, changelog: false, matchColumns: [0, 1, 2] },
    right: { keys: [col(0, UInt64, 'kk')], time: withRange ? col(1, TS, 'tts') : undefined, deltaAt: -1, changelog: false, matchColumns: [0, 1, 2] },
    range: withRange ? { lower: -RANGE_MS, upper: RANGE_MS, lowerInclusive: true, upperInclusive: true, bucket } : undefined,
    keepVersions: 3,
    bidirectional: true,
    emitChangelog: false,
    header: [...leftHeader, ...rightHeader],
    leftNullable: [false, false, false],
    rightNullable: [false, false, false],
  });
  const ac = new AbortController();
  const ctx = {
    queryId: 'bench',
    signal: ac.signal,
    progress: { readRows: 0, readBytes: 0 },
    fn: { timezone: 'UTC' },
    settings: new Map(),
    deadlineMs: Infinity,
    blockRows: 65536,
    startMs: Date.now(),
    maxMemory: 0,
    rssAtStart: process.memoryUsage().rss,
  };
  const rssStart = process.memoryUsage().rss;
  let peakRss = rssStart;
  let peakState = 0;
  let out = 0;
  let blocks = 0;
  const t0 = performance.now();
  for await (const b of node.run(ctx)) {
    out += b.rows;
    if (++blocks % 16 === 0) {
      const s = node.stats();
      peakState = Math.max(peakState, s.leftRows + s.rightRows);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  }
  const ms = performance.now() - t0;
  const s = node.stats();
  peakState = Math.max(peakState, s.leftRows + s.rightRows);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return {
    range: withRange ? `date_diff_within(${RANGE_MS} ms)` : 'none (global join)',
    outputRows: out,
    peakStateRows: peakState,
    finalStateRows: s.leftRows + s.rightRows,
    evictedRows: s.evictedRows,
    lateRows: s.lateRows,
    rssStartMiB: Math.round(rssStart / 2 ** 20),
    peakRssMiB: Math.round(peakRss / 2 ** 20),
    seconds: Math.round(ms) / 1000,
    eventsPerSecond: Math.round((2 * EVENTS) / (ms / 1000)),
  };
}

const facts = machineFacts();
const load = loadAverage();
log(`join-range: ${EVENTS} events per side, range ±${RANGE_MS} ms, ${RATE} events/s of event time per side`);
const ranged = await run(true);
log(JSON.stringify(ranged));
const global_ = await run(false);
log(JSON.stringify(global_));
// A symmetric range ±R buckets rows by R; buckets at or before (combined watermark − R) go: about one bucket per side stays.
const expectedState = Math.round((RANGE_MS / 1000) * RATE * 2);
const result = { when: new Date().toISOString(), facts, load, events: EVENTS, block: BLOCK, rangeMs: RANGE_MS, rate: RATE, ranged, global: global_ };
mkdirSync(join(benchDir, 'results'), { recursive: true });
writeFileSync(join(benchDir, 'results', 'join-range.json'), JSON.stringify(result, null, 2));

if (!opts['no-doc']) {
  const f = (n) => n.toLocaleString('en-US');
  const when = `${result.when.slice(0, 10)} ${result.when.slice(11, 16)} UTC`;
  const section = `<!-- join-range:begin -->
## Streaming joins: memory of a range join

\`node bench/join-range.mjs\` (${when}, ${facts.nproc} vCPU, Node ${facts.node}, Hadron ${facts.hadronCommit}; load average ${load.join(' / ')} at the start). The streaming join operator (\`StreamingJoinNode\`, in-process, synthetic sources: no server, no log) joins two streams of ${f(EVENTS)} events each, \`ON l.k = r.k AND date_diff_within(${RANGE_MS / 1000}s, l.ts, r.ts)\`, the sides interleaved block by block (${f(BLOCK)} rows), event time advancing ${f(RATE)} events per second per side. Each left event has one right event with the same key and time, so ${f(EVENTS)} rows come out. Rows are bucketed by time (a bucket is half the range's width, ${RANGE_MS / 1000} s here) and a bucket goes once the combined watermark (the smaller of the two sides' latest buckets) is a bucket past it, as in Proton: about one bucket per side stays, ${f(expectedState)} rows at this rate, however long the streams run. Peak RSS is the whole process's (the baseline before the first run was ${ranged.rssStartMiB} MiB; the second run starts from the first's heap). The same join without the range (a global join keeps every row) is shown for contrast.

| join | output rows | peak state rows | state rows at the end | rows evicted | peak RSS | input events/s |
|---|---|---|---|---|---|---|
| range ±${RANGE_MS / 1000} s | ${f(ranged.outputRows)} | ${f(ranged.peakStateRows)} | ${f(ranged.finalStateRows)} | ${f(ranged.evictedRows)} | ${ranged.peakRssMiB} MiB | ${f(ranged.eventsPerSecond)} |
| global (no range) | ${f(global_.outputRows)} | ${f(global_.peakStateRows)} | ${f(global_.finalStateRows)} | ${f(global_.evictedRows)} | ${global_.peakRssMiB} MiB | ${f(global_.eventsPerSecond)} |

<!-- join-range:end -->`;
  const docFile = join(benchDir, '..', 'docs', 'benchmarks.md');
  const doc = readFileSync(docFile, 'utf8');
  const re = /<!-- join-range:begin -->[\s\S]*?<!-- join-range:end -->/;
  writeFileSync(docFile, re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`);
  log('docs/benchmarks.md updated');
}
