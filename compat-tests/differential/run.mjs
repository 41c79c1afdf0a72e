#!/usr/bin/env node
// Differential suite: runs every case of compat-tests/differential/cases/*.sql on the
// reference ClickHouse 18.16 and on Hadron and compares the TabSeparated output (or the
// error code). See compat-tests/README.md for the case-file format.
//
//   node compat-tests/differential/run.mjs [--strict] [--filter REGEX] [--verbose]
//        [--reference live|snapshot|auto] [--check-reference] [--write-snapshot] [--budget SECONDS]
//
// HADRON_URL / REFERENCE_URL point at running servers; otherwise both are started here
// (Hadron from dist/, so `npm run build` first). Ends with `N passed, N failed, N skipped`;
// exits non-zero only with --strict and a failure.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeErrorCode, resolveErrorCode } from '../lib/error-codes.mjs';
import { startHadron } from '../lib/hadron-server.mjs';
import { describeError, httpQuery, newQueryId, ping } from '../lib/http-query.mjs';
import { startReferenceClickHouse } from '../lib/reference-clickhouse.mjs';
import { compatRoot } from '../lib/repo.mjs';
import { splitSqlScript } from '../lib/sql-split.mjs';
import { summaryLine } from '../lib/summary.mjs';
import { firstDifference, visible } from '../lib/text-diff.mjs';

const here = join(compatRoot, 'differential');
const casesDir = join(here, 'cases');
const snapshotFile = join(here, 'reference-snapshot.json');
const failuresFile = join(here, 'last-failures.txt');

const SETUP_KEYWORDS = new Set(['CREATE', 'DROP', 'INSERT', 'SET', 'USE', 'ALTER', 'OPTIMIZE', 'TRUNCATE', 'SYSTEM', 'RENAME', 'DETACH', 'ATTACH']);
const QUERY_TIMEOUT_MS = 10000;

/**
 * @typedef {{ kind: 'output', reason: string, text: string } | { kind: 'error', reason: string, codes: number[] }} Override
 * @typedef {{
 *   file: string,
 *   line: number,
 *   sql: string,
 *   setup: boolean,
 *   occurrence: number,
 *   expectError: number[] | null,
 *   override: Override | null,
 *   skip: string | null,
 * }} Case
 * @typedef {{ ok: true, output: string } | { ok: false, code: number | null, message: string }} Outcome
 */

const { values: opts } = parseArgs({
  options: {
    strict: { type: 'boolean', default: false },
    filter: { type: 'string' },
    verbose: { type: 'boolean', short: 'v', default: false },
    reference: { type: 'string', default: 'auto' },
    'check-reference': { type: 'boolean', default: false },
    'write-snapshot': { type: 'boolean', default: false },
    budget: { type: 'string', default: '900' },
  },
});

/**
 * Reads the `-- expected (...)` / `-- skip (...)` block that follows a statement.
 * @param {string[]} following comment texts after the statement (without `--`)
 * @returns {{ override: Override | null, skip: string | null }}
 */
function readDirectives(following) {
  /** @type {Override | null} */
  let override = null;
  /** @type {string | null} */
  let skip = null;
  for (let i = 0; i < following.length; i++) {
    const t = following[i].replace(/^ /, '');
    const exp = /^expected\s*\(([^)]*(?:\([^)]*\)[^)]*)*)\)\s*:\s*(.*)$/.exec(t);
    if (exp) {
      const reason = exp[1].trim();
      const rest = exp[2].trim();
      const err = /^serverError\s+(.+)$/.exec(rest);
      if (err) {
        const codes = err[1].split(/[\s,|]+/).map((tok) => resolveErrorCode(tok));
        if (codes.some((c) => c === undefined)) throw new Error(`unknown error code in "${t}"`);
        override = { kind: 'error', reason, codes: /** @type {number[]} */ (codes) };
      } else {
        const lines = following.slice(i + 1).map((l) => l.replace(/^ /, ''));
        if (rest !== '') lines.unshift(rest);
        override = { kind: 'output', reason, text: lines.length === 0 ? '' : lines.join('\n') + '\n' };
      }
      break;
    }
    const sk = /^skip\s*(?:\((.*)\))?\s*:?\s*(.*)$/.exec(t);
    if (sk && /^skip\b/.test(t)) skip = (sk[1] ?? sk[2] ?? '').trim() || 'skipped';
  }
  return { override, skip };
}

/** @param {string} file @returns {Case[]} */
function loadCases(file) {
  const text = readFileSync(join(casesDir, file), 'utf8');
  /** @type {Map<string, number>} */
  const seen = new Map();
  return splitSqlScript(text).map((st) => {
    const first = (/^\s*([A-Za-z]+)/.exec(st.sql)?.[1] ?? '').toUpperCase();
    const occurrence = (seen.get(st.sql) ?? 0) + 1;
    seen.set(st.sql, occurrence);
    const { override, skip } = readDirectives(st.following);
    const expectError = st.annotation ? [...st.annotation.server, ...st.annotation.client] : null;
    return { file, line: st.line, sql: st.sql, setup: SETUP_KEYWORDS.has(first), occurrence, expectError, override, skip };
  });
}

/**
 * One statement in a session, with a query id so that a timed-out query is killed.
 * @param {string} url @param {string} sql @param {string} sessionId @param {number} timeoutMs
 */
function run(url, sql, sessionId, timeoutMs) {
  return httpQuery(url, sql, { sessionId, timeoutMs, queryId: newQueryId('diff') });
}

/** @param {import('../lib/http-query.mjs').QueryResult} r @returns {Outcome} */
function toOutcome(r) {
  if (r.ok) return { ok: true, output: r.text };
  return { ok: false, code: r.code, message: describeError(r) };
}

/** @param {Outcome} o */
function describeOutcome(o) {
  return o.ok ? `output «${visible(o.output, 120)}»` : o.message;
}

/**
 * @param {Outcome} expected
 * @param {Outcome} actual
 * @returns {string | null} why they differ, or null
 */
function compare(expected, actual) {
  if (expected.ok && actual.ok) return firstDifference(expected.output, actual.output);
  if (!expected.ok && !actual.ok) {
    if (expected.code === actual.code) return null;
    return `expected error ${expected.code === null ? '?' : describeErrorCode(expected.code)}, got ${actual.message}`;
  }
  if (!expected.ok) return `expected error ${expected.code === null ? '?' : describeErrorCode(expected.code)}, got ${describeOutcome(actual)}`;
  return `expected ${describeOutcome(expected)}, got ${actual.message}`;
}

/** @param {Case} c */
const caseKey = (c) => `${c.file}\u0000${c.sql}\u0000${c.occurrence}`;

/** @param {Case} c */
const caseTitle = (c) => `${c.file}:${c.line}: ${c.sql.replace(/\s+/g, ' ').slice(0, 160)}`;

async function main() {
  const checkOnly = opts['check-reference'] || opts['write-snapshot'];
  const filter = opts.filter ? new RegExp(opts.filter) : null;
  const files = readdirSync(casesDir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  /** @type {Case[][]} */
  const byFile = files.map(loadCases);

  /** @type {Map<string, Outcome>} */
  let snapshot = new Map();
  try {
    const raw = JSON.parse(readFileSync(snapshotFile, 'utf8'));
    snapshot = new Map(raw.cases.map((/** @type {any} */ e) => [`${e.file}\u0000${e.sql}\u0000${e.occurrence}`, e.ok ? { ok: true, output: e.output } : { ok: false, code: e.code, message: `error ${describeErrorCode(e.code)}` }]));
  } catch {
    // no snapshot yet
  }

  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  let referenceUrl = process.env['REFERENCE_URL'] ?? null;
  let referenceMode = opts.reference;
  if (referenceMode !== 'snapshot' && referenceUrl === null) {
    try {
      const ch = await startReferenceClickHouse();
      referenceUrl = ch.url;
      stops.push(ch.stop);
      console.log(`reference: ClickHouse ${ch.version} at ${ch.url}`);
    } catch (err) {
      if (referenceMode === 'live' || checkOnly) throw err;
      console.log(`reference: not available (${/** @type {Error} */ (err).message.split('\n')[0]}); using ${basename(snapshotFile)}`);
      referenceMode = 'snapshot';
    }
  } else if (referenceUrl !== null) {
    console.log(`reference: ${referenceUrl}`);
  }
  if (referenceMode === 'snapshot') referenceUrl = null;

  let hadronUrl = process.env['HADRON_URL'] ?? null;
  /** @type {string | null} */
  let hadronDown = null;
  if (!checkOnly && hadronUrl === null) {
    try {
      const h = await startHadron();
      hadronUrl = h.url;
      stops.push(h.stop);
      console.log(`hadron: started at ${h.url}`);
    } catch (err) {
      hadronDown = /** @type {Error} */ (err).message;
      console.log(`hadron: could not start: ${hadronDown.split('\n').slice(0, 12).join('\n')}`);
    }
  } else if (hadronUrl !== null) {
    console.log(`hadron: ${hadronUrl}`);
  }

  const sameServer = hadronUrl !== null && referenceUrl !== null && new URL(hadronUrl).origin === new URL(referenceUrl).origin;
  if (sameServer) console.log('hadron and reference are the same server: DDL and inserts run once');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  /** @type {string[]} */
  const failures = [];
  /** @type {{ file: string, sql: string, occurrence: number, ok: boolean, output?: string, code?: number | null }[]} */
  const newSnapshot = [];
  /** @type {Map<string, { passed: number, failed: number, skipped: number }>} */
  const perFile = new Map();
  const stamp = `${process.pid}-${Date.now()}`;
  // A time budget keeps a Hadron that hangs on every query from stalling CI.
  const budgetEnd = Date.now() + Math.max(1, Number(opts.budget) || 900) * 1000;
  let budgetSkipped = 0;

  const fail = (/** @type {Case} */ c, /** @type {string} */ why, /** @type {{ passed: number, failed: number, skipped: number }} */ fc) => {
    counts.failed++;
    fc.failed++;
    const msg = `FAIL ${caseTitle(c)}\n     ${why}`;
    failures.push(msg);
    console.log(msg);
  };

  try {
    for (const cases of byFile) {
      if (cases.length === 0) continue;
      const file = cases[0].file;
      const fc = { passed: 0, failed: 0, skipped: 0 };
      perFile.set(file, fc);
      const selected = cases.filter((c) => c.setup || !filter || filter.test(caseTitle(c)));
      if (!selected.some((c) => !c.setup)) continue;
      const refSession = `diff-ref-${basename(file, '.sql')}-${stamp}`;
      const hadSession = `diff-hadron-${basename(file, '.sql')}-${stamp}`;
      for (const c of selected) {
        if (c.setup) {
          if (referenceUrl !== null) {
            const r = await run(referenceUrl, c.sql, refSession, 30000);
            if (!r.ok && !c.expectError) console.log(`SETUP on reference failed ${caseTitle(c)}\n     ${describeError(r)}`);
          }
          // When both URLs name one server (a self-test), DDL and inserts must not run twice;
          // session settings still must.
          const sessionOnly = /^\s*(SET|USE)\b/i.test(c.sql);
          if (hadronUrl !== null && !checkOnly && !(sameServer && referenceUrl !== null && !sessionOnly)) {
            const r = await run(hadronUrl, c.sql, hadSession, QUERY_TIMEOUT_MS);
            if (!r.ok && !c.expectError && opts.verbose) console.log(`setup on hadron failed ${caseTitle(c)}\n     ${describeError(r)}`);
          }
          continue;
        }
        if (c.skip !== null) {
          counts.skipped++;
          fc.skipped++;
          if (opts.verbose) console.log(`SKIP ${caseTitle(c)} (${c.skip})`);
          continue;
        }

        if (checkOnly) {
          // Verify the suite itself against the reference.
          const r = await run(/** @type {string} */ (referenceUrl), c.sql, refSession, 30000);
          const o = toOutcome(r);
          if (c.override === null) {
            newSnapshot.push({ file: c.file, sql: c.sql, occurrence: c.occurrence, ok: o.ok, ...(o.ok ? { output: o.output } : { code: o.code }) });
            let problem = null;
            if (!o.ok && c.expectError === null) problem = `reference failed: ${o.message}`;
            else if (o.ok && c.expectError !== null) problem = `annotated as error ${c.expectError.join('|')} but the reference succeeded`;
            else if (!o.ok && c.expectError !== null && !c.expectError.includes(o.code ?? -1)) problem = `annotated as error ${c.expectError.join('|')} but the reference failed with ${o.message}`;
            if (problem) fail(c, problem, fc);
            else {
              counts.passed++;
              fc.passed++;
            }
          } else {
            counts.passed++;
            fc.passed++;
            if (opts.verbose) {
              const exp = c.override.kind === 'output' ? { ok: true, output: c.override.text } : { ok: false, code: c.override.codes[0], message: '' };
              const d = compare(/** @type {Outcome} */ (exp), o);
              console.log(`INFO ${caseTitle(c)} [${c.override.reason}] 18.16 ${d === null ? 'agrees' : `differs: ${d}`}`);
            }
          }
          continue;
        }

        /** @type {Outcome | null} */
        let expected = null;
        if (c.override !== null) {
          expected = c.override.kind === 'output' ? { ok: true, output: c.override.text } : { ok: false, code: c.override.codes[0], message: '' };
        } else if (referenceUrl !== null) {
          expected = toOutcome(await run(referenceUrl, c.sql, refSession, 30000));
        } else {
          expected = snapshot.get(caseKey(c)) ?? null;
          if (expected === null) {
            counts.skipped++;
            fc.skipped++;
            if (opts.verbose) console.log(`SKIP ${caseTitle(c)} (no reference and not in the snapshot)`);
            continue;
          }
        }
        if (hadronUrl === null) {
          fail(c, `Hadron unavailable: ${(hadronDown ?? '').split('\n')[0]}`, fc);
          continue;
        }
        if (Date.now() > budgetEnd) {
          counts.skipped++;
          fc.skipped++;
          budgetSkipped++;
          continue;
        }
        const hr = await run(hadronUrl, c.sql, hadSession, QUERY_TIMEOUT_MS);
        if (hr.timedOut && !(await ping(hadronUrl, 3000))) {
          hadronDown = 'Hadron stopped answering /ping';
          console.log(`hadron: stopped answering /ping after ${caseTitle(c)}`);
          hadronUrl = null;
        }
        const actual = toOutcome(hr);
        let why = compare(expected, actual);
        if (why !== null && c.override?.kind === 'error' && !actual.ok && c.override.codes.includes(actual.code ?? -1)) why = null;
        if (why === null) {
          counts.passed++;
          fc.passed++;
        } else {
          fail(c, why + (c.override ? ` [expected output checked in: ${c.override.reason}]` : ''), fc);
        }
      }
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
  }

  if (opts['write-snapshot']) {
    writeFileSync(
      snapshotFile,
      JSON.stringify({ generated: 'by compat-tests/differential/run.mjs --write-snapshot against ClickHouse 18.16; reference outputs of the non-overridden cases', cases: newSnapshot }, null, 1) + '\n',
    );
    console.log(`wrote ${snapshotFile} (${newSnapshot.length} cases)`);
  }
  if (!checkOnly) writeFileSync(failuresFile, failures.join('\n') + (failures.length ? '\n' : ''));

  if (budgetSkipped > 0) console.log(`time budget of ${opts.budget} s used up: ${budgetSkipped} cases not run`);
  console.log('');
  for (const [file, c] of perFile) {
    if (c.passed + c.failed + c.skipped > 0) console.log(`  ${file.padEnd(28)} ${c.passed}/${c.passed + c.failed} ok${c.skipped ? `, ${c.skipped} skipped` : ''}`);
  }
  console.log(summaryLine(counts));
  if (opts.strict && counts.failed > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  console.log(summaryLine({ passed: 0, failed: 1, skipped: 0 }));
  process.exitCode = opts.strict ? 1 : 0;
});
