#!/usr/bin/env node
// Summarises V8 .cpuprofile files (from `node --cpu-prof`) by self time per function.
//
//   node bench/profile-summary.mjs FILE.cpuprofile [...] [--top 30]
//   node bench/profile-summary.mjs FILE.cpuprofile --results bench/results/latest.json [--top 12]
//
// With --results, the samples are split by the time window of each Hadron measurement of
// that benchmark run (ingest per format, each query's warm-up + timed runs): the profile's
// timestamps and the runner's windows are both CLOCK_MONOTONIC microseconds.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string' }, results: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [...] [--top N] [--results bench/results/latest.json]');
  process.exit(2);
}

/** @typedef {{ name: string, from: number, to: number, self: Map<string, number>, total: number }} Window */

/** @type {Window[]} */
const windows = [];
if (values.results) {
  const r = JSON.parse(readFileSync(values.results, 'utf8'));
  for (const i of r.ingest) {
    if (i.system === 'Hadron' && i.window) windows.push({ name: `ingest ${i.format}`, from: i.window[0], to: i.window[1], self: new Map(), total: 0 });
  }
  for (const q of r.queries) {
    const h = q.results.Hadron;
    if (h?.window) windows.push({ name: `query ${q.id}`, from: h.window[0], to: h.window[1], self: new Map(), total: 0 });
  }
} else {
  windows.push({ name: 'whole profile', from: -Infinity, to: Infinity, self: new Map(), total: 0 });
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<number, string>} */
  const names = new Map();
  for (const node of profile.nodes) {
    const cf = node.callFrame;
    const where = cf.url ? `${relative(process.cwd(), cf.url.replace(/^file:\/\//, ''))}:${cf.lineNumber + 1}` : '';
    names.set(node.id, `${cf.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`);
  }
  // Sample i is taken at startTime + sum(timeDeltas[0..i]) and stands for the time until the next one.
  const { samples, timeDeltas } = profile;
  let at = profile.startTime;
  for (let i = 0; i < samples.length - 1; i++) {
    at += timeDeltas[i];
    const dt = timeDeltas[i + 1];
    const w = windows.find((x) => at >= x.from && at < x.to);
    if (!w) continue;
    const name = names.get(samples[i]) ?? '?';
    w.self.set(name, (w.self.get(name) ?? 0) + dt);
    w.total += dt;
  }
}

const top = Number(values.top ?? (values.results ? 12 : 30));
for (const w of windows) {
  if (w.total === 0) continue;
  const idle = w.self.get('(idle)') ?? 0;
  console.log(`\n== ${w.name}: ${(w.total / 1e3).toFixed(0)} ms sampled, ${(((w.total - idle) / w.total) * 100).toFixed(0)} % busy on the main thread`);
  for (const [name, us] of [...w.self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1e3).toFixed(0).padStart(8)} ms ${((100 * us) / w.total).toFixed(1).padStart(5)} %  ${name}`);
  }
}
