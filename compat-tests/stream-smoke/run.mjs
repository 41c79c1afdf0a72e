#!/usr/bin/env node
// Runs Timeplus Proton's stream smoke cases (tests/stream/test_stream_smoke, JSON/YAML suites)
// against Hadron: statements over the native TCP protocol with the Python clickhouse-driver
// (worker.py, one process per suite file), `client: rest` statements over Proton's REST API.
//
//   node compat-tests/stream-smoke/run.mjs [FOLDER] [--filter REGEX] [--jobs N]
//        [--priority REGEX]… [--case-timeout SECONDS] [--time-limit SECONDS] [--wait-scale F] [--strict] [--verbose]
//        [--no-drop-settings]
//
// FOLDER defaults to ../shared/proton-tests/stream_smoke beside the repository. Every job has
// its own Hadron (started from dist/, run `npm run build` first; HADRON_TCP_PORT with
// HADRON_URL and optionally HADRON_REST_PORT use a running server instead, then --jobs is 1).
// --filter matches `FILE:ID NAME` (e.g. `0000_smoke` or `smoke_case:12 `). Prints a per-topic
// table, the failing cases with their first difference (also in last-failures.txt), and
// `N passed, N failed, N skipped`. Exits non-zero only with --strict and a failure.
// --no-drop-settings (diagnostic, not for CI) drops streams without Proton's
// `settings enable_dependency_check = false`, to see what fails after that.
// Python: compat-tests/stream-smoke/.venv (run.sh creates it from requirements.txt).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startHadron } from '../lib/hadron-server.mjs';
import { ping } from '../lib/http-query.mjs';
import { compatRoot, sharedRoot } from '../lib/repo.mjs';
import { summaryLine } from '../lib/summary.mjs';

const here = join(compatRoot, 'stream-smoke');
const workerPy = join(here, 'worker.py');
const failuresFile = join(here, 'last-failures.txt');

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    filter: { type: 'string' },
    // Suite files whose name matches run first (a time-limited run covers them before the rest).
    priority: { type: 'string', multiple: true },
    jobs: { type: 'string', default: '3' },
    'case-timeout': { type: 'string', default: '45' },
    'time-limit': { type: 'string', default: '360' },
    'wait-scale': { type: 'string', default: '1' },
    python: { type: 'string' },
    'no-drop-settings': { type: 'boolean', default: false },
    // Kafka for the external-stream cases: a broker address, or --kafka to start one (../kafka/kafka-broker.mjs).
    'kafka-brokers': { type: 'string' },
    kafka: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

const python = opts.python ?? (existsSync(join(here, '.venv', 'bin', 'python')) ? join(here, '.venv', 'bin', 'python') : 'python3');
const caseTimeoutS = Math.max(1, Number(opts['case-timeout']) || 45);
const timeLimitMs = Math.max(10, Number(opts['time-limit']) || 360) * 1000;
const waitScale = Math.max(0, Number(opts['wait-scale'] ?? 1));
const started = Date.now();
/** The broker for the external-stream cases (`redpanda-1:9092` in them): given, or started with --kafka. */
let kafkaBrokers = opts['kafka-brokers'] ?? process.env['HADRON_SMOKE_KAFKA_BROKERS'] ?? '';
/** @type {{ stop: () => Promise<void> } | undefined} */
let kafkaBroker;
if (!kafkaBrokers && opts.kafka) {
  const { startKafka } = await import('../kafka/kafka-broker.mjs');
  kafkaBroker = await startKafka();
  kafkaBrokers = kafkaBroker.brokers;
  console.log(`kafka broker for the external-stream cases: ${kafkaBrokers}`);
}
/** With a broker of our own, workers restart it (`docker-compose restart redpanda-1`) through POST {kafkaControl}/restart. */
let kafkaControl = '';
/** @type {import('node:http').Server | undefined} */
let kafkaControlServer;
if (kafkaBroker) {
  const broker = kafkaBroker;
  const { createServer } = await import('node:http');
  kafkaControlServer = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/restart') {
      res.writeHead(404).end();
      return;
    }
    /** @type {any} */ (broker).restart().then(
      () => res.writeHead(200).end('restarted'),
      (/** @type {Error} */ e) => res.writeHead(500).end(String(e?.message ?? e)),
    );
  });
  await new Promise((r) => /** @type {import('node:http').Server} */ (kafkaControlServer).listen(0, '127.0.0.1', () => r(undefined)));
  const addr = kafkaControlServer.address();
  kafkaControl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  kafkaControlServer.unref();
}

/**
 * @typedef {{ file: string, index: number, id: unknown, name: string, topic: string, skip: string | null }} PlannedCase
 * @typedef {{ status: 'passed' | 'failed' | 'skipped', reason?: string, seconds?: number }} CaseResult
 * @typedef {{ url: string, tcpPort: number, httpPort: number, restPort: number, stop: () => Promise<void> }} Server
 */

/**
 * Runs a child process and returns its stdout lines.
 * @param {string[]} args
 * @returns {Promise<string[]>}
 */
function runPython(args) {
  return new Promise((resolveP, reject) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveP(out.split('\n').filter(Boolean)) : reject(new Error(`${python} ${args[0]} exited with ${code}: ${err.slice(-2000)}`))));
  });
}

/** @param {string} s */
function oneLine(s) {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 400 ? t.slice(0, 400) + '…' : t;
}

/** @param {string} file */
const stem = (file) => file.replace(/\.(json|ya?ml)$/, '');

class Job {
  /** @param {number} n */
  constructor(n) {
    this.n = n;
    /** @type {Server | null} */
    this.server = null;
    this.restarts = 0;
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null;
  }

  async ensureServer() {
    if (this.server !== null && (await ping(this.server.url, 3000))) return;
    if (this.server !== null) {
      await this.server.stop().catch(() => undefined);
      this.server = null;
      this.restarts++;
      console.log(`job ${this.n}: hadron stopped answering /ping; restarting`);
    }
    if (process.env['HADRON_URL'] && process.env['HADRON_TCP_PORT']) {
      const url = process.env['HADRON_URL'];
      const httpPort = Number(new URL(url).port || 8123);
      this.server = { url, httpPort, tcpPort: Number(process.env['HADRON_TCP_PORT']), restPort: Number(process.env['HADRON_REST_PORT'] ?? 0), stop: async () => undefined };
      return;
    }
    const h = await startHadron({ protocols: ['tcp', 'rest'] });
    this.server = h;
    if (opts.verbose) console.log(`job ${this.n}: hadron at ${h.url} (tcp ${h.tcpPort}, rest ${h.restPort})`);
  }

  /**
   * Runs the given cases of one suite file; restarts the worker (and the server if it is down)
   * after a hang or crash and goes on with the next case.
   * @param {string} path
   * @param {PlannedCase[]} cases
   * @param {(c: PlannedCase, r: CaseResult) => void} report
   * @param {() => boolean} outOfTime
   */
  async runSuite(path, cases, report, outOfTime) {
    let todo = [...cases];
    while (todo.length > 0) {
      if (outOfTime()) {
        for (const c of todo) report(c, { status: 'skipped', reason: 'not run: total time limit reached' });
        return;
      }
      try {
        await this.ensureServer();
      } catch (err) {
        for (const c of todo) report(c, { status: 'failed', reason: `Hadron did not start: ${oneLine(/** @type {Error} */ (err).message)}` });
        return;
      }
      const server = /** @type {Server} */ (this.server);
      const done = new Set();
      /** @type {number | null} */
      let current = null;
      const byIndex = new Map(todo.map((c) => [c.index, c]));
      const outcome = await new Promise((resolveP) => {
        const child = spawn(python, [
          workerPy, '--suite', path, '--cases', todo.map((c) => c.index).join(','),
          '--tcp-port', String(server.tcpPort), '--http-port', String(server.httpPort), '--rest-port', String(server.restPort),
          '--wait-scale', String(waitScale), '--case-timeout', String(caseTimeoutS),
          ...(opts['no-drop-settings'] ? ['--no-drop-settings'] : []),
          ...(kafkaBrokers ? ['--kafka-brokers', kafkaBrokers] : []),
          ...(kafkaControl ? ['--kafka-control', kafkaControl] : []),
        ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
        this.child = child;
        let stderr = '';
        child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
        // a case gets its own timeout plus time for the suite setup and for ending its queries
        const watchdogMs = (caseTimeoutS + 20) * 1000;
        let closed = false;
        let hung = false;
        // Out of time after a case: the worker is stopped and what it prints afterwards (the next case's start) ignored.
        let stopping = false;
        const onHang = () => { if (!closed) { child.kill('SIGKILL'); hung = true; } };
        let timer = setTimeout(onHang, watchdogMs * 2);
        timer.unref();
        createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }).on('line', (line) => {
          /** @type {{ event?: string, index?: number, status?: CaseResult['status'], reason?: string, seconds?: number }} */
          let msg;
          try { msg = JSON.parse(line); } catch { return; }
          clearTimeout(timer);
          if (closed || stopping) return;
          if (msg.event === 'start') current = msg.index ?? null;
          if (msg.event === 'case' && msg.index !== undefined) {
            const c = byIndex.get(msg.index);
            if (c) {
              done.add(msg.index);
              report(c, { status: /** @type {CaseResult['status']} */ (msg.status), reason: msg.reason ?? undefined, seconds: msg.seconds });
            }
            current = null;
            if (outOfTime()) {
              stopping = true;
              child.kill('SIGKILL');
              return;
            }
          }
          timer = setTimeout(onHang, watchdogMs);
          timer.unref();
        });
        child.on('close', (code, signal) => {
          closed = true;
          clearTimeout(timer);
          this.child = null;
          resolveP({ code, signal, hung, stderr });
        });
      });
      const o = /** @type {{ code: number | null, signal: string | null, hung: boolean, stderr: string }} */ (outcome);
      if (current !== null && !done.has(current)) {
        const c = /** @type {PlannedCase} */ (byIndex.get(current));
        done.add(current);
        const alive = await ping(server.url, 3000);
        const why = o.hung
          ? `timed out: no answer from the case within ${caseTimeoutS + 20} s`
          : `the runner's worker ended (${o.code ?? o.signal}): ${oneLine(o.stderr.split('\n').filter(Boolean).slice(-1)[0] ?? '')}`;
        report(c, { status: 'failed', reason: `${why}${alive ? '' : ' (Hadron stopped answering /ping; restarted)'}` });
      } else if (o.code !== 0 && done.size === 0 && !o.hung) {
        for (const c of todo) report(c, { status: 'failed', reason: `worker failed: ${oneLine(o.stderr.slice(-600))}` });
        return;
      }
      todo = todo.filter((c) => !done.has(c.index));
    }
  }

  async stop() {
    if (this.child) this.child.kill('SIGKILL');
    if (this.server) await this.server.stop().catch(() => undefined);
  }
}

async function main() {
  const folder = resolve(positionals[0] ?? join(sharedRoot, 'proton-tests', 'stream_smoke'));
  if (!existsSync(folder)) {
    console.log(`no test folder at ${folder}`);
    console.log(summaryLine({ passed: 0, failed: 0, skipped: 0 }));
    return;
  }
  const files = readdirSync(folder).filter((f) => /\.(json|ya?ml)$/.test(f)).sort();
  const filter = opts.filter ? new RegExp(opts.filter) : null;
  /** @type {PlannedCase[]} */
  let plan = [];
  const lines = await runPython([workerPy, '--list', ...files.map((f) => join(folder, f))]);
  /** @type {Map<string, CaseResult>} */
  const results = new Map();
  const key = (/** @type {PlannedCase} */ c) => `${stem(c.file.split('/').pop() ?? c.file)}:${c.id} ${c.name}`;
  let unreadable = 0;
  for (const line of lines) {
    const c = JSON.parse(line);
    if (c.error) {
      console.log(`unreadable suite ${c.file}: ${c.error}`);
      unreadable++;
      continue;
    }
    plan.push(c);
  }
  if (filter) plan = plan.filter((c) => filter.test(key(c)));

  /** @type {Map<string, { passed: number, failed: number, skipped: number }>} */
  const topics = new Map();
  const counts = { passed: 0, failed: 0, skipped: 0 };
  /** @type {string[]} */
  const failures = [];
  const report = (/** @type {PlannedCase} */ c, /** @type {CaseResult} */ r) => {
    results.set(key(c), r);
    const t = topics.get(c.topic) ?? { passed: 0, failed: 0, skipped: 0 };
    topics.set(c.topic, t);
    t[r.status]++;
    counts[r.status]++;
    if (r.status === 'failed') failures.push(`${key(c)}\n     ${r.reason ?? ''}`);
    if (opts.verbose) console.log(`${r.status.padEnd(7)} ${key(c)}${r.seconds !== undefined ? ` (${r.seconds} s)` : ''}${r.reason ? `: ${oneLine(r.reason)}` : ''}`);
  };
  for (const c of plan) if (c.skip) report(c, { status: 'skipped', reason: c.skip });

  /** @type {Map<string, PlannedCase[]>} */
  const bySuite = new Map();
  for (const c of plan) {
    if (c.skip) continue;
    const list = bySuite.get(c.file) ?? [];
    list.push(c);
    bySuite.set(c.file, list);
  }
  // Each --priority is a tier, in the order given; files matching none come last. Within a tier the files
  // with more cases start first, so the parallel jobs end at about the same time.
  const tiers = (opts.priority ?? []).map((p) => new RegExp(p));
  const tier = (/** @type {string} */ f) => {
    const name = f.split('/').pop() ?? f;
    const i = tiers.findIndex((re) => re.test(name));
    return i < 0 ? tiers.length : i;
  };
  const suiteQueue = [...bySuite.entries()].sort((a, b) => tier(a[0]) - tier(b[0]) || b[1].length - a[1].length);
  const external = Boolean(process.env['HADRON_URL'] && process.env['HADRON_TCP_PORT']);
  const jobs = external ? 1 : Math.max(1, Math.min(Number(opts.jobs) || 3, suiteQueue.length || 1));
  const outOfTime = () => Date.now() - started > timeLimitMs;
  const workers = Array.from({ length: jobs }, (_, i) => new Job(i + 1));
  const onSignal = () => { void Promise.all(workers.map((w) => w.stop())).then(() => process.exit(130)); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await Promise.all(workers.map(async (w) => {
      for (;;) {
        const next = suiteQueue.shift();
        if (!next) return;
        await w.runSuite(next[0], next[1], report, outOfTime);
      }
    }));
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    kafkaControlServer?.close();
    await kafkaBroker?.stop();
  }

  const names = [...topics.keys()].sort();
  const width = Math.max(5, ...names.map((n) => n.length));
  console.log(`${'topic'.padEnd(width)}  passed  failed  skipped`);
  for (const n of names) {
    const t = /** @type {{ passed: number, failed: number, skipped: number }} */ (topics.get(n));
    console.log(`${n.padEnd(width)}  ${String(t.passed).padStart(6)}  ${String(t.failed).padStart(6)}  ${String(t.skipped).padStart(7)}`);
  }
  if (failures.length > 0) {
    writeFileSync(failuresFile, failures.join('\n') + '\n');
    console.log(`\nfailed (${failures.length}, also in ${failuresFile}):`);
    for (const f of failures.slice(0, opts.verbose ? failures.length : 60)) console.log(`  ${f}`);
    if (!opts.verbose && failures.length > 60) console.log(`  … ${failures.length - 60} more in last-failures.txt`);
  } else {
    writeFileSync(failuresFile, '');
  }
  const restarts = workers.reduce((n, w) => n + w.restarts, 0);
  if (restarts > 0) console.log(`hadron: restarted ${restarts} time(s)`);
  if (unreadable > 0) console.log(`${unreadable} suite file(s) could not be read`);
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s, ${jobs} job(s), wait scale ${waitScale}`);
  console.log(summaryLine(counts));
  if (opts.strict && (counts.failed > 0 || unreadable > 0)) process.exitCode = 1;
}

await main();
