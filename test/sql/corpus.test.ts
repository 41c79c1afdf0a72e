import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DbError } from '../../src/errors/index.js';
import { formatStatement, parseStatement, splitStatementRanges, type Statement } from '../../src/sql/index.js';
import { canonical } from './helpers.js';

/**
 * Parses every statement of Proton's test corpus (read from ../shared/proton-tests when present) and keeps
 * the parse rate above a floor set just below what the parser achieves.
 */

const corpus = join(process.cwd(), '..', 'shared', 'proton-tests');
const ported = join(corpus, 'queries_ported');
const smoke = join(corpus, 'stream_smoke');

interface Outcome {
  total: number;
  failed: { where: string; sql: string; error: string }[];
  /** Statements marked as syntax errors that did fail. */
  expectedFailures: number;
  /** Statements whose formatted text does not parse back to the same tree. */
  roundTripFailures: { where: string; sql: string; formatted: string }[];
}

const SYNTAX_HINT = /(client|server)Error\s+(SYNTAX_ERROR|62)\b/;

/** Parses one statement; DbErrors other than SYNTAX_ERROR (e.g. NOT_IMPLEMENTED) count as parsed. */
function tryParse(sql: string): Statement | string | undefined {
  try {
    return parseStatement(sql);
  } catch (e) {
    if (e instanceof DbError && e.code !== 62) return undefined;
    return e instanceof Error ? e.message : String(e);
  }
}

/** format(parse(x)) must parse to the same tree as x. */
function checkRoundTrip(where: string, sql: string, st: Statement, out: Outcome): void {
  let formatted = '';
  try {
    formatted = formatStatement(st);
    if (JSON.stringify(canonical(parseStatement(formatted))) === JSON.stringify(canonical(st))) return;
  } catch {
    /* reported below */
  }
  out.roundTripFailures.push({ where, sql: sql.slice(0, 300), formatted: formatted.slice(0, 300) });
}

function parseScript(where: string, sql: string, out: Outcome, expectSyntaxError = false): void {
  for (const r of splitStatementRanges(sql)) {
    const text = sql.slice(r.start, r.end);
    let lineEnd = sql.indexOf('\n', r.end);
    if (lineEnd < 0) lineEnd = sql.length;
    const expected = expectSyntaxError || SYNTAX_HINT.test(sql.slice(r.end, lineEnd)) || SYNTAX_HINT.test(text);
    out.total++;
    const error = tryParse(text);
    if (error === undefined) continue;
    if (typeof error !== 'string') {
      checkRoundTrip(where, text, error, out);
      continue;
    }
    if (expected) out.expectedFailures++;
    else out.failed.push({ where, sql: text.slice(0, 400), error: error.slice(0, 300) });
  }
}

/** `query:` values of a stream_smoke YAML file (inline scalars and `|` / `>` blocks); no YAML library needed. */
function yamlQueries(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let client = 'python';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*- /.test(line)) client = 'python';
    const c = /^\s*(?:- )?client:\s*(\S+)/.exec(line);
    if (c) client = c[1]!;
    const m = /^(\s*(?:- )?)query:\s*(.*)$/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    let v = m[2]!.trim();
    if (/^[|>][-+]?$/.test(v)) {
      const block: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || lines[i + 1]!.search(/\S/) > indent)) block.push(lines[++i]!.trim());
      out.push(block.join(v.startsWith('>') ? ' ' : '\n'));
      continue;
    }
    const quoted = v.startsWith('"') || v.startsWith("'") || (v === '' && /^\s*["']/.test(lines[i + 1] ?? ''));
    if (quoted) {
      // quoted scalars may span lines (folded with spaces)
      const q = v === '' ? lines[i + 1]!.trim()[0]! : v[0]!;
      const closed = (x: string) => x.length > 1 && x.endsWith(q) && !x.endsWith('\\' + q);
      while (!closed(v) && i + 1 < lines.length) v = (v ? v + ' ' : '') + lines[++i]!.trim();
      v = q === '"' ? (JSON.parse(v) as string) : v.slice(1, -1).replace(/''/g, "'");
    } else {
      // plain multi-line scalar: continuation lines are indented deeper
      while (i + 1 < lines.length && lines[i + 1]!.search(/\S/) > indent && !/^\s*[\w-]+:/.test(lines[i + 1]!)) v += ' ' + lines[++i]!.trim();
    }
    if (client === 'python') out.push(v);
  }
  return out;
}

interface SmokeStatement {
  client?: string;
  query?: unknown;
  query_id?: string;
}

function jsonQueries(text: string): { query: string; expectError: boolean }[] {
  const suite = JSON.parse(text) as { tests?: { steps?: { statements?: SmokeStatement[] }[]; expected_results?: { query_id?: string; expected_results?: unknown }[] }[] };
  const out: { query: string; expectError: boolean }[] = [];
  for (const test of suite.tests ?? []) {
    const syntaxErrorIds = new Set(
      (test.expected_results ?? []).filter((r) => /error_code:62\b/.test(JSON.stringify(r.expected_results ?? ''))).map((r) => String(r.query_id)),
    );
    for (const step of test.steps ?? []) {
      for (const st of step.statements ?? []) {
        if ((st.client ?? 'python') !== 'python' || typeof st.query !== 'string') continue;
        out.push({ query: st.query, expectError: st.query_id !== undefined && syntaxErrorIds.has(String(st.query_id)) });
      }
    }
  }
  return out;
}

function rate(o: Outcome): number {
  return (o.total - o.failed.length) / o.total;
}

function report(name: string, o: Outcome): void {
  const pct = (rate(o) * 100).toFixed(2);
  console.log(`${name}: ${o.total - o.failed.length}/${o.total} statements parse (${pct}%), ${o.expectedFailures} expected syntax errors`);
  for (const f of o.failed.slice(0, 20)) console.log(`  ${f.where}: ${f.sql.replace(/\s+/g, ' ').slice(0, 160)}\n    ${f.error}`);
  console.log(`${name}: ${o.roundTripFailures.length} round-trip mismatches`);
  for (const f of o.roundTripFailures.slice(0, 10)) console.log(`  ${f.where}: ${f.sql.replace(/\s+/g, ' ')}\n    => ${f.formatted}`);
}

describe('parse rate on Proton test corpus', () => {
  it.skipIf(!existsSync(ported))('queries_ported/*.sql', () => {
    const o: Outcome = { total: 0, failed: [], expectedFailures: 0, roundTripFailures: [] };
    for (const f of readdirSync(ported).filter((n) => n.endsWith('.sql')).sort()) {
      parseScript(f, readFileSync(join(ported, f), 'utf8'), o);
    }
    report('queries_ported', o);
    expect(o.total).toBeGreaterThan(15000);
    expect(rate(o)).toBeGreaterThan(0.999);
    expect(o.roundTripFailures.length).toBe(0);
  });

  it.skipIf(!existsSync(smoke))('stream_smoke/*.json and *.yaml', () => {
    const o: Outcome = { total: 0, failed: [], expectedFailures: 0, roundTripFailures: [] };
    for (const f of readdirSync(smoke).sort()) {
      const text = readFileSync(join(smoke, f), 'utf8');
      if (f.endsWith('.json')) for (const q of jsonQueries(text)) parseScript(f, q.query, o, q.expectError);
      else if (f.endsWith('.yaml') || f.endsWith('.yml')) for (const q of yamlQueries(text)) parseScript(f, q, o);
    }
    report('stream_smoke', o);
    expect(o.total).toBeGreaterThan(500);
    expect(rate(o)).toBeGreaterThan(0.995);
    expect(o.roundTripFailures.length).toBe(0);
  });

  it.skipIf(!existsSync(ported))('mutated statements either round-trip or fail with a DbError', () => {
    const statements: string[] = [];
    for (const f of readdirSync(ported).filter((n) => n.endsWith('.sql')).sort()) {
      const sql = readFileSync(join(ported, f), 'utf8');
      for (const r of splitStatementRanges(sql)) statements.push(sql.slice(r.start, r.end));
    }
    const pieces = ['(', ')', ',', '-', 'NOT ', ' AND ', ' + ', '::Int8', '[1]', '.1', ' IS NULL', ' AS x', ' || ', ' IN ', '-1', ' ? 1 : ', 'x -> ', "'", '`', '$$', ';', 'SELECT ', '{', '@@'];
    let seed = 1;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const problems: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const s = statements[Math.floor(rnd() * statements.length)]!;
      const p = Math.floor(rnd() * s.length);
      const mutated = rnd() < 0.5 ? s.slice(0, p) + pieces[Math.floor(rnd() * pieces.length)]! + s.slice(p) : s.slice(0, p);
      let st: Statement;
      try {
        st = parseStatement(mutated);
      } catch (e) {
        if (!(e instanceof DbError)) problems.push(`${mutated}\n  ${String(e)}`);
        continue;
      }
      const out: Outcome = { total: 0, failed: [], expectedFailures: 0, roundTripFailures: [] };
      checkRoundTrip('fuzz', mutated, st, out);
      if (out.roundTripFailures.length) problems.push(`${mutated}\n  => ${out.roundTripFailures[0]!.formatted}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });
});
