import { ProtocolError } from './mysql-errors.js';
import type { VariableValue } from './mysql-variables.js';
import { significant, tokenize } from './sql-scanner.js';
import { CompatError, quoteIdent, sqlString, Words, type CompatAction, type CompatContext } from './compat-common.js';
import { show } from './show-statements.js';
import { set } from './set-statements.js';

export { CompatError, likeToRegExp, sqlString, type CompatAction, type CompatContext, type ProcessRow, type SetAssignment } from './compat-common.js';

/**
 * The statements MySQL clients send that ClickHouse's dialect does not have, each answered here (from the
 * session's variables, or rewritten into a query over system tables) before anything reaches the engine.
 * One entry per statement family; the protocol tests cover each one.
 */

const TX_WORDS = new Set(['BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'UNLOCK', 'LOCK', 'FLUSH', 'XA']);

/** Decides how to answer one statement. Throws CompatError for what MySQL would reject here. */
export function classify(sql: string, ctx: CompatContext): CompatAction {
  // The first keyword decides; long statements (multi-row INSERTs) are only scanned in full when it is one
  // of the short MySQL statements handled here.
  let w = new Words(significant(tokenize(sql.length > 4096 ? sql.slice(0, 4096) : sql)), sql);
  const head = w.peek();
  if (sql.length > 4096 && (!head || /^(SHOW|SET|KILL)$/i.test(head.text))) w = new Words(significant(tokenize(sql)), sql);
  const first = w.peek();
  if (!first) return { kind: 'error', code: { errno: 1065, sqlState: '42000' }, message: 'Query was empty' }; // ER_EMPTY_QUERY
  const kw = first.kind === 'word' ? first.text.toUpperCase() : '';
  if (kw === 'SHOW') return show(w, ctx) ?? { kind: 'engine', sql: rewriteExpressions(sql, ctx) };
  if (kw === 'SET') return set(w, ctx) ?? { kind: 'engine', sql };
  if (kw === 'KILL') {
    w.accept('KILL');
    let queryOnly = false;
    if (w.accept('QUERY')) queryOnly = true;
    else w.accept('CONNECTION');
    const id = w.peek();
    if (id?.kind === 'number' && /^\d+$/.test(id.text)) return { kind: 'kill', connectionId: Number(id.text), queryOnly };
    return { kind: 'engine', sql };
  }
  if (kw === 'START' && w.is('TRANSACTION', 1)) return { kind: 'ok' };
  if (TX_WORDS.has(kw)) {
    // `ROLLBACK`, `COMMIT WORK`, `LOCK TABLES t READ`…: Hadron has no transactions; acknowledged as MySQL's autocommit would.
    return { kind: 'ok' };
  }
  if (kw === 'DESC' || kw === 'DESCRIBE' || kw === 'EXPLAIN') {
    // `DESCRIBE t col`: MySQL's column filter; the engine's DESCRIBE has no such form.
    return { kind: 'engine', sql };
  }
  return { kind: 'engine', sql: rewriteExpressions(sql, ctx) };
}

function literal(v: VariableValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return Number.isInteger(v) ? `toInt64(${v})` : String(v);
  if (/^\d{1,20}$/.test(v) && v.length > 15) return `toUInt64(${sqlString(v)})`;
  return sqlString(v);
}

const ALIAS_BEFORE = new Set([',', 'SELECT']);
const ALIAS_AFTER = new Set([',', ';', 'FROM', 'LIMIT', 'WHERE', 'ORDER', 'GROUP', 'UNION', 'INTO']);

/**
 * Rewrites what the engine does not know inside a query: `@@var` and `@var` reads become literals (named
 * like MySQL names them when they are a bare select item), CONNECTION_ID() / LAST_INSERT_ID() become
 * numbers, `FROM DUAL` reads system.one.
 */
export function rewriteExpressions(sql: string, ctx: CompatContext): string {
  if (!/@|connection_id|last_insert_id|dual/i.test(sql)) return sql;
  const all = tokenize(sql);
  if (!all.some((t) => t.kind === 'variable' || t.kind === 'user_variable' || (t.kind === 'word' && /^(connection_id|last_insert_id|dual)$/i.test(t.text)))) return sql;
  const sig = significant(all);
  const edits: { start: number; end: number; text: string }[] = [];
  const word = (k: number) => (sig[k]?.kind === 'word' || sig[k]?.kind === 'punct' ? sig[k]!.text.toUpperCase() : sig[k] ? '?' : ';');
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k]!;
    if (t.kind === 'variable') {
      if (!ctx.variables.has(t.text)) throw new CompatError(ProtocolError.UNKNOWN_SYSTEM_VARIABLE, `Unknown system variable '${t.text}'`);
      const bare = ALIAS_BEFORE.has(word(k - 1)) && (ALIAS_AFTER.has(word(k + 1)) || k + 1 >= sig.length);
      const text = literal(ctx.variables.get(t.text)) + (bare ? ` AS ${quoteIdent(sql.slice(t.start, t.end))}` : '');
      edits.push({ start: t.start, end: t.end, text });
    } else if (t.kind === 'user_variable') {
      const bare = ALIAS_BEFORE.has(word(k - 1)) && (ALIAS_AFTER.has(word(k + 1)) || k + 1 >= sig.length);
      const v = ctx.userVariables.get(t.text.toLowerCase()) ?? null;
      edits.push({ start: t.start, end: t.end, text: literal(v) + (bare ? ` AS ${quoteIdent(sql.slice(t.start, t.end))}` : '') });
    } else if (t.kind === 'word' && /^(connection_id|last_insert_id)$/i.test(t.text) && word(k + 1) === '(' && word(k + 2) === ')') {
      const value = t.text.toLowerCase() === 'connection_id' ? ctx.connectionId : 0;
      const bare = ALIAS_BEFORE.has(word(k - 1)) && (ALIAS_AFTER.has(word(k + 3)) || k + 3 >= sig.length);
      edits.push({ start: t.start, end: sig[k + 2]!.end, text: `toUInt64(${value})` + (bare ? ` AS ${quoteIdent(sql.slice(t.start, sig[k + 2]!.end))}` : '') });
      k += 2;
    } else if (t.kind === 'word' && /^dual$/i.test(t.text) && word(k - 1) === 'FROM') {
      edits.push({ start: t.start, end: t.end, text: 'system.one' });
    }
  }
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += sql.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + sql.slice(pos);
}
