#!/usr/bin/env node
// Runs Timeplus Proton's ported SQL tests (NAME.sql + NAME.reference) against Hadron over
// the HTTP interface, the way clickhouse-test runs them with clickhouse-client:
// statements in order in one session, TabSeparated output concatenated and compared with
// the reference, `-- { serverError X }` / `-- { clientError X }` statements must fail.
//
//   node compat-tests/proton-queries/run.mjs [FOLDER] [--filter REGEX] [--jobs N]
//        [--timeout SECONDS] [--budget SECONDS] [--strict] [--verbose]
//
// FOLDER defaults to ../shared/proton-tests/queries_ported beside the repository.
// HADRON_URL points at a running server; otherwise one is started from dist/ (run
// `npm run build` first). Ends with `N passed, N failed, N skipped`; failures with their
// first difference also go to compat-tests/proton-queries/last-failures.txt. Exits
// non-zero only with --strict and a failure.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeErrorCode } from '../lib/error-codes.mjs';
import { startHadron } from '../lib/hadron-server.mjs';
import { describeError, httpQuery, newQueryId, ping } from '../lib/http-query.mjs';
import { compatRoot, sharedRoot } from '../lib/repo.mjs';
import { parseTags, splitSqlScript } from '../lib/sql-split.mjs';
import { summaryLine } from '../lib/summary.mjs';
import { firstDifference } from '../lib/text-diff.mjs';

const failuresFile = join(compatRoot, 'proton-queries', 'last-failures.txt');

/** Tags naming infrastructure a single Hadron server does not have. */
const SKIP_TAGS = new Map([
  ['zookeeper', 'needs ZooKeeper'],
  ['replica', 'needs replicas'],
  ['replicated', 'needs replication'],
  ['replication', 'needs replication'],
  ['shard', 'needs a sharded cluster'],
  ['distributed', 'needs a distributed cluster'],
  ['global', 'needs GLOBAL subqueries over a cluster'],
  ['use-hdfs', 'needs HDFS'],
  ['s3-storage', 'needs S3'],
  ['use-rocksdb', 'needs RocksDB'],
]);

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    filter: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '10' },
    strict: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    budget: { type: 'string', default: '1800' },
    dialect: { type: 'string', default: 'proton' },
  },
});

/**
 * @typedef {{ name: string, sqlPath: string, refPath: string, tags: string[] }} TestCase
 * @typedef {{ status: 'passed' | 'failed' | 'skipped', reason?: string }} TestResult
 */

/**
 * Why a test cannot run over HTTP against a single server, or null.
 * @param {string} text
 * @param {import('../lib/sql-split.mjs').Statement[]} statements
 * @param {string[]} tags
 * @returns {string | null}
 */
function skipReason(text, statements, tags) {
  for (const tag of tags) {
    const why = SKIP_TAGS.get(tag.toLowerCase());
    if (why) return `tag ${tag}: ${why}`;
  }
  for (const st of statements) {
    const clientSide = st.annotation !== null && st.annotation.client.length > 0;
    if (clientSide) continue;
    if (/\bFROM\s+INFILE\b/i.test(st.sql)) return 'uses INSERT ... FROM INFILE (a clickhouse-client feature)';
    if (/\bINTO\s+OUTFILE\b/i.test(st.sql)) return 'uses INTO OUTFILE (a clickhouse-client feature)';
    if (/\\G\s*$/.test(st.sql)) return 'uses \\G (a clickhouse-client feature)';
  }
  if (/\$\{?CLICKHOUSE_|\{CLICKHOUSE_/.test(text)) return 'uses clickhouse-test shell variables';
  return null;
}

/**
 * Runs one test file in its own database and session.
 * @param {string} url
 * @param {TestCase} test
 * @param {number} timeoutMs
 * @returns {Promise<TestResult>}
 */
/** Set by --dialect (default proton). */
let dialect = 'proton';

async function runTest(url, test, timeoutMs) {
  const text = readFileSync(test.sqlPath, 'utf8');
  const statements = splitSqlScript(text);
  const skip = skipReason(text, statements, test.tags);
  if (skip) return { status: 'skipped', reason: skip };
  const reference = readFileSync(test.refPath, 'utf8');

  const deadline = Date.now() + timeoutMs;
  const sessionId = newQueryId('proton-session');
  const database = `test_${Math.random().toString(36).slice(2, 10)}`;
  const remaining = () => Math.max(1, deadline - Date.now());

  // A database per test (as clickhouse-test does) keeps parallel tests apart; its name is
  // written as `default` in the output. Without CREATE DATABASE / USE, run in the default one.
  let isolated = false;
  const created = await httpQuery(url, `CREATE DATABASE ${database}`, { timeoutMs: Math.min(5000, remaining()) });
  if (created.ok) {
    const used = await httpQuery(url, `USE ${database}`, { sessionId, timeoutMs: Math.min(5000, remaining()) });
    isolated = used.ok;
  }

  // Proton's own ports answer in Proton's dialect (bool predicates, lower-case type names); Hadron's
  // ClickHouse ports default to ClickHouse's, so the session asks for Proton's (--dialect to change).
  if (dialect !== 'clickhouse') await httpQuery(url, `SET dialect = '${dialect}'`, { sessionId, timeoutMs: Math.min(5000, remaining()) });
  // These tests ran on Proton's snapshot HTTP port (8123), where stream reads are historical.
  await httpQuery(url, `SET query_mode = 'table'`, { sessionId, timeoutMs: Math.min(5000, remaining()) });

  let output = '';
  /** @type {string | null} */
  let failure = null;
  try {
    for (const st of statements) {
      if (Date.now() >= deadline) {
        failure = `timed out after ${timeoutMs / 1000} s (line ${st.line})`;
        break;
      }
      const r = await httpQuery(url, st.sql, {
        sessionId,
        format: 'TabSeparated',
        timeoutMs: remaining(),
        queryId: newQueryId('proton'),
      });
      if (r.timedOut) {
        failure = `timed out after ${timeoutMs / 1000} s at line ${st.line}: ${oneLine(st.sql)}`;
        break;
      }
      const ann = st.annotation;
      if (ann !== null) {
        const expected = [...ann.server, ...ann.client];
        if (r.ok) {
          failure = `line ${st.line}: expected ${ann.raw.replace(/\s+/g, ' ')}, but the statement succeeded: ${oneLine(st.sql)}`;
          break;
        }
        const anyCode = ann.server.length === 0 || ann.unresolved.length > 0;
        if (!anyCode && !expected.includes(r.code ?? -1)) {
          failure = `line ${st.line}: expected ${ann.raw.replace(/\s+/g, ' ')}, got ${describeError(r)}`;
          break;
        }
        continue;
      }
      if (!r.ok) {
        failure = `line ${st.line}: ${describeError(r)}\n     in: ${oneLine(st.sql)}`;
        break;
      }
      output += r.text;
    }
  } finally {
    await httpQuery(url, `DROP DATABASE IF EXISTS ${database}`, { timeoutMs: 5000 }).catch(() => undefined);
  }
  if (isolated) output = output.replaceAll(database, 'default');
  if (failure !== null) return { status: 'failed', reason: failure };
  const diff = firstDifference(reference.replace(/\n$/, ''), output.replace(/\n$/, ''));
  if (diff !== null) return { status: 'failed', reason: `output differs from ${test.name}.reference at ${diff}` };
  return { status: 'passed' };
}

/** @param {string} s */
function oneLine(s) {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 160 ? t.slice(0, 160) + '…' : t;
}

async function main() {
  const folder = resolve(positionals[0] ?? join(sharedRoot, 'proton-tests', 'queries_ported'));
  if (!existsSync(folder)) {
    console.log(`no test folder at ${folder}`);
    console.log(summaryLine({ passed: 0, failed: 0, skipped: 0 }));
    return;
  }
  const filter = opts.filter ? new RegExp(opts.filter) : null;
  const jobs = Math.max(1, Number(opts.jobs) || 2);
  dialect = opts.dialect === 'clickhouse' ? 'clickhouse' : 'proton';
  const timeoutMs = Math.max(1, Number(opts.timeout) || 10) * 1000;

  /** @type {TestCase[]} */
  const tests = [];
  let skippedNoReference = 0;
  for (const file of readdirSync(folder).sort()) {
    if (!file.endsWith('.sql')) continue;
    const name = file.slice(0, -4);
    if (filter && !filter.test(name)) continue;
    const refPath = join(folder, `${name}.reference`);
    if (!existsSync(refPath)) {
      skippedNoReference++;
      continue;
    }
    const sqlPath = join(folder, file);
    tests.push({ name, sqlPath, refPath, tags: parseTags(readFileSync(sqlPath, 'utf8')) });
  }

  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  let url = process.env['HADRON_URL'] ?? null;
  const ownServer = url === null;
  let restarts = 0;
  /** @type {string | null} */
  let down = null;
  if (url === null) {
    try {
      const h = await startHadron();
      url = h.url;
      stops.push(h.stop);
      console.log(`hadron: started at ${h.url}`);
    } catch (err) {
      down = /** @type {Error} */ (err).message;
      console.log(`hadron: could not start: ${down.split('\n').slice(0, 12).join('\n')}`);
    }
  } else {
    console.log(`hadron: ${url}`);
  }
  console.log(`tests: ${tests.length} in ${folder} (jobs ${jobs}, timeout ${timeoutMs / 1000} s)`);

  const counts = { passed: 0, failed: 0, skipped: skippedNoReference };
  /** @type {string[]} */
  const failures = [];
  const record = (/** @type {TestCase} */ t, /** @type {TestResult} */ r) => {
    counts[r.status]++;
    if (r.status === 'failed') {
      const msg = `FAIL ${t.name}: ${r.reason}`;
      failures.push(msg);
      console.log(msg);
    } else if (opts.verbose) {
      console.log(`${r.status === 'passed' ? 'ok  ' : 'SKIP'} ${t.name}${r.reason ? ` (${r.reason})` : ''}`);
    }
  };

  try {
    const serial = tests.filter((t) => t.tags.includes('no-parallel'));
    const parallel = tests.filter((t) => !t.tags.includes('no-parallel'));
    // A time budget keeps a server that hangs on many tests from stalling CI.
    const budgetEnd = Date.now() + Math.max(1, Number(opts.budget) || 1800) * 1000;
    let budgetSkipped = 0;
    const runOne = async (/** @type {TestCase} */ t) => {
      if (Date.now() > budgetEnd) {
        budgetSkipped++;
        record(t, { status: 'skipped', reason: 'time budget used up' });
        return;
      }
      if (url === null) {
        const text = readFileSync(t.sqlPath, 'utf8');
        const skip = skipReason(text, splitSqlScript(text), t.tags);
        record(t, skip ? { status: 'skipped', reason: skip } : { status: 'failed', reason: `Hadron unavailable: ${(down ?? '').split('\n')[0]}` });
        return;
      }
      let result;
      try {
        result = await runTest(url, t, timeoutMs);
      } catch (err) {
        result = { status: /** @type {const} */ ('failed'), reason: `runner error: ${/** @type {Error} */ (err).message}` };
      }
      if (result.status === 'failed' && /timed out/.test(result.reason ?? '') && url !== null && !(await ping(url, 3000))) {
        console.log(`hadron: stopped answering /ping during ${t.name}`);
        result = { status: /** @type {const} */ ('failed'), reason: `${result.reason} (the server stopped answering; restarted)` };
        if (ownServer) {
          // A hung server fails the test that hung it; the rest still run against a fresh server.
          const stopOld = stops.pop();
          await stopOld?.().catch(() => {});
          try {
            const h = await startHadron();
            url = h.url;
            stops.push(h.stop);
            restarts++;
            console.log(`hadron: restarted at ${h.url}`);
          } catch (err) {
            down = /** @type {Error} */ (err).message;
            url = null;
          }
        } else {
          down = 'Hadron stopped answering /ping';
          url = null;
        }
      }
      record(t, result);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(jobs, parallel.length) }, async () => {
        while (next < parallel.length) await runOne(parallel[next++]);
      }),
    );
    for (const t of serial) await runOne(t);
    if (budgetSkipped > 0) console.log(`time budget of ${opts.budget} s used up: ${budgetSkipped} tests not run`);
    if (restarts > 0) console.log(`hadron: restarted ${restarts} time(s) after hanging`);
  } finally {
    for (const stop of stops.reverse()) await stop();
  }

  writeFileSync(failuresFile, failures.join('\n') + (failures.length ? '\n' : ''));
  console.log(summaryLine(counts));
  if (opts.strict && counts.failed > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
  process.exitCode = opts.strict ? 1 : 0;
});
