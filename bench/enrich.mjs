#!/usr/bin/env node
// Enrichment throughput of the streaming join (the built operator, dist/): an append stream of --events events
// joined with a versioned_kv dimension of --keys keys, `… INNER JOIN dim ON e.k = dim.k` (Proton's
// append ⋈ versioned_kv: each event takes the version of its key valid when it arrives; dimension changes
// update the state and emit nothing). The dimension arrives first as a changelog (+1 per key), then events in
// blocks of --block rows, with --updates dimension changes (−1 old, +1 new version) interleaved per block.
//
// Recorded: enriched events per second of wall time (every event finds its key, so output rows = events), the
// right state's rows, peak RSS. In-process on synthetic sources (no server, no log): it measures the join.
// Writes bench/results/enrich.json and the "Streaming joins: enrichment" section of docs/benchmarks.md.
//   npm run build && node bench/enrich.mjs [--events 5000000] [--keys 100000] [--block 65536] [--updates 100] [--no-doc]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage, machineFacts } from './lib/machine.mjs';

const dist = new URL('../dist/src/', import.meta.url).pathname;
const { Block } = await import(join(dist, 'core/block.js'));
const { NumericColumn, StringColumn } = await import(join(dist, 'columns/column.js'));
const { simpleType } = await import(join(dist, 'types/data-type.js'));
const { StreamingJoinNode } = await import(join(dist, 'streaming/join/streaming-join.js'));

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '5000000' },
    keys: { type: 'string', default: '100000' },
    block: { type: 'string', default: '65536' },
    updates: { type: 'string', default: '100' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(opts.events);
const KEYS = Number(opts.keys);
const BLOCK = Number(opts.block);
const UPDATES = Number(opts.updates);
const benchDir = new URL('.', import.meta.url).pathname;
const log = (/** @type {string} */ m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const UInt32 = simpleType('UInt32');
const Float64 = simpleType('Float64');
const Int8 = simpleType('Int8');
const Str = simpleType('String');
const leftHeader = [
  { name: 'k', type: UInt32 },
  { name: 'amount', type: Float64 },
];
const rightHeader = [
  { name: 'dk', type: UInt32 },
  { name: 'name', type: Str },
  { name: '_tp_delta', type: Int8 },
];

function strings(values) {
  const enc = new TextEncoder();
  const parts = values.map((v) => enc.encode(v));
  const offsets = new Uint32Array(values.length + 1);
  let bytes = 0;
  parts.forEach((p, i) => {
    bytes += p.length;
    offsets[i + 1] = bytes;
  });
  const chars = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    chars.set(p, at);
    at += p.length;
  }
  return new StringColumn(chars, offsets);
}

function dimBlock(keys, versions, deltas) {
  return new Block(
    rightHeader,
    [new NumericColumn(Uint32Array.from(keys)), strings(keys.map((k, i) => `name-${k}-v${versions[i]}`)), new NumericColumn(Int8Array.from(deltas))],
    keys.length,
  );
}

let seed = 12345;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
};

function eventBlock(n) {
  const k = new Uint32Array(n);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    k[i] = rnd() % KEYS;
    a[i] = rnd() % 1000;
  }
  return new Block(leftHeader, [new NumericColumn(k), new NumericColumn(a)], n);
}

/** Sides take turns: the whole dimension first, then (event block, dimension changes) pairs. */
function turns() {
  let next = 1;
  const waiting = new Map();
  return {
    async wait(side) {
      if (next === side) return;
      await new Promise((r) => waiting.set(side, r));
    },
    pass(side) {
      next = 1 - side;
      const w = waiting.get(next);
      if (w) {
        waiting.delete(next);
        w();
      }
    },
  };
}

const version = new Uint32Array(KEYS);
const blocksOfEvents = Math.ceil(EVENTS / BLOCK);
const t = turns();
const left = {
  header: leftHeader,
  children: [],
  unbounded: true,
  describe: () => 'Events',
  async *run() {
    for (let b = 0; b < blocksOfEvents; b++) {
      await t.wait(0);
      const blk = eventBlock(Math.min(BLOCK, EVENTS - b * BLOCK));
      t.pass(0);
      yield blk;
    }
    t.pass(0);
  },
};
const right = {
  header: rightHeader,
  children: [],
  unbounded: true,
  describe: () => 'Dimension',
  async *run() {
    await t.wait(1);
    const all = Array.from({ length: KEYS }, (_, i) => i);
    const dim = dimBlock(all, Array.from(version), all.map(() => 1));
    t.pass(1);
    yield dim;
    for (let b = 0; b < blocksOfEvents; b++) {
      await t.wait(1);
      const keys = [];
      const vers = [];
      const deltas = [];
      for (let u = 0; u < UPDATES; u++) {
        const k = rnd() % KEYS;
        keys.push(k, k);
        vers.push(version[k], version[k] + 1);
        deltas.push(-1, 1);
        version[k]++;
      }
      t.pass(1);
      if (keys.length) yield dimBlock(keys, vers, deltas);
    }
  },
};

const node = new StreamingJoinNode(left, right, {
  kind: 'INNER',
  strictness: 'ALL',
  left: { keys: [{ type: UInt32, name: 'k', eval: (b) => b.columns[0] }], deltaAt: -1, changelog: false, matchColumns: [0, 1] },
  right: { keys: [{ type: UInt32, name: 'dk', eval: (b) => b.columns[0] }], deltaAt: 2, changelog: true, matchColumns: [0] },
  keepVersions: 3,
  bidirectional: false,
  emitChangelog: false,
  header: [...leftHeader, ...rightHeader],
  leftNullable: [false, false],
  rightNullable: [false, false, false],
});
const ctx = {
  queryId: 'bench',
  signal: new AbortController().signal,
  progress: { readRows: 0, readBytes: 0 },
  fn: { timezone: 'UTC' },
  settings: new Map(),
  deadlineMs: Infinity,
  blockRows: 65536,
  startMs: Date.now(),
  maxMemory: 0,
  rssAtStart: process.memoryUsage().rss,
};

const facts = machineFacts();
const load = loadAverage();
log(`enrich: ${EVENTS} events, ${KEYS} keys, ${UPDATES} dimension changes per ${BLOCK}-event block`);
let out = 0;
let peakRss = process.memoryUsage().rss;
let t0 = 0;
for await (const b of node.run(ctx)) {
  if (!t0) t0 = performance.now();
  out += b.rows;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const ms = performance.now() - t0;
const s = node.stats();
if (out !== EVENTS) throw new Error(`expected ${EVENTS} enriched events, got ${out}`);
const result = {
  when: new Date().toISOString(),
  facts,
  load,
  events: EVENTS,
  keys: KEYS,
  block: BLOCK,
  updatesPerBlock: UPDATES,
  enrichedPerSecond: Math.round(out / (ms / 1000)),
  seconds: Math.round(ms) / 1000,
  rightStateRows: s.rightRows,
  peakRssMiB: Math.round(peakRss / 2 ** 20),
};
log(JSON.stringify(result));
mkdirSync(join(benchDir, 'results'), { recursive: true });
writeFileSync(join(benchDir, 'results', 'enrich.json'), JSON.stringify(result, null, 2));

if (!opts['no-doc']) {
  const f = (n) => n.toLocaleString('en-US');
  const when = `${result.when.slice(0, 10)} ${result.when.slice(11, 16)} UTC`;
  const section = `<!-- enrich:begin -->
## Streaming joins: enrichment

\`node bench/enrich.mjs\` (${when}, ${facts.nproc} vCPU, Node ${facts.node}, Hadron ${facts.hadronCommit}; load average ${load.join(' / ')} at the start). The streaming join operator (in-process, synthetic sources) enriches an append stream with a versioned_kv dimension of ${f(KEYS)} keys: \`events INNER JOIN dim ON events.k = dim.k\`, the dimension read first as a changelog, then ${f(EVENTS)} events of random keys in blocks of ${f(BLOCK)}, with ${f(UPDATES)} dimension changes (−1 old version, +1 new) between blocks. Each event takes its key's current version; dimension changes emit nothing.

| measure | result | goal |
|---|---|---|
| enriched events/s | ${f(result.enrichedPerSecond)} | 1,000,000 |
| dimension rows in the state at the end | ${f(result.rightStateRows)} | |
| peak RSS | ${result.peakRssMiB} MiB | |

<!-- enrich:end -->`;
  const docFile = join(benchDir, '..', 'docs', 'benchmarks.md');
  const doc = readFileSync(docFile, 'utf8');
  const re = /<!-- enrich:begin -->[\s\S]*?<!-- enrich:end -->/;
  writeFileSync(docFile, re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`);
  log('docs/benchmarks.md updated');
}
