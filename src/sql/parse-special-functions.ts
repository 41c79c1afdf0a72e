import type { Expr, FunctionExpr } from './ast.js';
import { EXTRACT_FUNCTIONS, fn, INTERVAL_UNITS, lit } from './ast-util.js';
import type { CallParser } from './parse-call.js';

/**
 * Functions with SQL-standard syntax inside their parentheses, rewritten the way ClickHouse does:
 *   CAST(x AS T)                      → CAST(x, 'T')
 *   EXTRACT(DAY FROM x)               → toDayOfMonth(x)
 *   SUBSTRING(x FROM a [FOR b])       → substring(x, a, b)
 *   POSITION(a IN b)                  → position(b, a)
 *   TRIM([BOTH|LEADING|TRAILING] [c] FROM s), LTRIM(s), RTRIM(s)
 *   DATE_ADD(DAY, n, t) / DATE_SUB    → plus(t, toIntervalDay(n)) / minus(…)
 *   DATE_DIFF(DAY, a, b)              → date_diff('day', a, b)
 *   EXISTS(SELECT …)                  → exists((SELECT …))
 * Called just after `(`; returns undefined (having consumed nothing) when the call is an ordinary one.
 */
export function parseSpecialFunction(p: CallParser, name: string, pos: number): FunctionExpr | undefined {
  switch (name.toLowerCase()) {
    case 'cast':
      return parseCast(p, pos);
    case 'extract':
      return parseExtract(p, pos);
    case 'substring':
    case 'substr':
      return parseSubstring(p, name, pos);
    case 'position':
      return parsePosition(p, name, pos);
    case 'trim':
      return parseTrim(p, pos, false, false);
    case 'ltrim':
      return parseTrim(p, pos, true, false);
    case 'rtrim':
      return parseTrim(p, pos, false, true);
    case 'date_add':
    case 'dateadd':
    case 'timestamp_add':
    case 'timestampadd':
      return parseDateAdd(p, 'plus', pos);
    case 'date_sub':
    case 'datesub':
    case 'timestamp_sub':
    case 'timestampsub':
      return parseDateAdd(p, 'minus', pos);
    case 'date_diff':
    case 'datediff':
    case 'timestamp_diff':
    case 'timestampdiff':
      return parseDateDiff(p, name, pos);
    case 'exists':
      if (!p.isQueryStart()) return undefined;
      {
        const qpos = p.offset;
        const query = p.parseQuery();
        p.expectOp(')');
        return fn('exists', [{ kind: 'subquery', query, pos: qpos }], pos);
      }
  }
  return undefined;
}

function parseCast(p: CallParser, pos: number): FunctionExpr | undefined {
  const m = p.mark();
  const e = p.parseExpr();
  if (!p.acceptKw('AS')) {
    p.rewind(m);
    return undefined;
  }
  const type = p.parseTypeText();
  p.expectOp(')');
  return fn('CAST', [e, lit(type)], pos);
}

function unitAt(p: CallParser, k = 0): string | undefined {
  const t = p.peek(k);
  return t.type === 'word' ? INTERVAL_UNITS[t.upper] : undefined;
}

function parseExtract(p: CallParser, pos: number): FunctionExpr | undefined {
  const kind = unitAt(p);
  if (!kind || !p.isKw('FROM', 1)) return undefined;
  p.advance();
  p.advance();
  const e = p.parseExpr();
  p.expectOp(')');
  return fn(EXTRACT_FUNCTIONS[kind]!, [e], pos);
}

function parseSubstring(p: CallParser, name: string, pos: number): FunctionExpr | undefined {
  const m = p.mark();
  const e = p.parseExpr();
  if (!p.acceptKw('FROM')) {
    p.rewind(m);
    return undefined;
  }
  const args: Expr[] = [e, p.parseExpr()];
  if (p.acceptKw('FOR') || p.acceptOp(',')) args.push(p.parseExpr());
  p.expectOp(')');
  return fn(name, args, pos);
}

function parsePosition(p: CallParser, name: string, pos: number): FunctionExpr | undefined {
  const m = p.mark();
  const e = p.parseExpr();
  if (e.kind === 'function' && e.name === 'in' && e.args.length === 2 && p.acceptOp(')')) {
    return fn(name, [e.args[1]!, e.args[0]!], pos);
  }
  p.rewind(m);
  return undefined;
}

function parseTrim(p: CallParser, pos: number, left: boolean, right: boolean): FunctionExpr | undefined {
  let chars: Expr | undefined;
  if (!left && !right) {
    const mode = p.acceptAnyKw(['BOTH', 'LEADING', 'TRAILING']);
    if (mode) {
      left = mode !== 'TRAILING';
      right = mode !== 'LEADING';
      if (!p.acceptKw('FROM')) {
        chars = p.parseExpr();
        p.expectKw('FROM');
      }
    } else {
      left = right = true;
      const m = p.mark();
      const first = p.parseExpr();
      if (p.acceptKw('FROM')) chars = first;
      else p.rewind(m);
    }
  }
  const s = p.parseExpr();
  p.expectOp(')');
  if (!chars) return fn(left && right ? 'trimBoth' : left ? 'trimLeft' : 'trimRight', [s], pos);
  const quoted = fn('regexpQuoteMeta', [chars]);
  if (left && right) {
    const pattern = fn('concat', [lit('^['), quoted, lit(']+|['), quoted, lit(']+$')]);
    return fn('replaceRegexpAll', [s, pattern, lit('')], pos);
  }
  const pattern = left ? fn('concat', [lit('^['), quoted, lit(']+')]) : fn('concat', [lit('['), quoted, lit(']+$')]);
  return fn('replaceRegexpOne', [s, pattern, lit('')], pos);
}

function parseDateAdd(p: CallParser, op: 'plus' | 'minus', pos: number): FunctionExpr | undefined {
  const kind = unitAt(p);
  if (!kind || !p.isOp(',', 1)) return undefined;
  p.advance();
  p.advance();
  const n = p.parseExpr();
  p.expectOp(',');
  const t = p.parseExpr();
  p.expectOp(')');
  return fn(op, [t, fn('toInterval' + kind, [n])], pos);
}

function parseDateDiff(p: CallParser, name: string, pos: number): FunctionExpr | undefined {
  const kind = unitAt(p);
  if (!kind || !p.isOp(',', 1)) return undefined;
  p.advance();
  p.advance();
  const a = p.parseExpr();
  p.expectOp(',');
  const b = p.parseExpr();
  const args: Expr[] = [lit(kind.toLowerCase()), a, b];
  if (p.acceptOp(',')) args.push(p.parseExpr());
  p.expectOp(')');
  return fn(name, args, pos);
}
