import { tokenize, type Token } from '../../src/sql/index.js';

/**
 * Statements Postgres clients send that are answered by the protocol instead of the engine (the named
 * compatibility table: transactions are no-ops because every statement commits on its own, SET / SHOW /
 * RESET act on the connection's Postgres parameters, COPY streams rows over the copy sub-protocol).
 */
export type Shim =
  | { kind: 'empty' }
  | { kind: 'begin' }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'noop'; tag: string }
  | { kind: 'set'; name: string; value: string }
  | { kind: 'reset'; name: string | 'ALL' }
  | { kind: 'discard' }
  | { kind: 'show'; name: string }
  | { kind: 'copy_out'; query: string; options: CopyOptions }
  | { kind: 'copy_in'; table: string; columns: string[]; options: CopyOptions }
  | { kind: 'declare'; name: string; query: string; binary: boolean; hold: boolean }
  | { kind: 'fetch'; name: string; count: number; move: boolean }
  | { kind: 'close_cursor'; name: string | 'ALL' }
  | { kind: 'engine' };

export interface CopyOptions {
  readonly format: 'text' | 'csv' | 'binary';
  readonly header: boolean;
  readonly delimiter: string;
  readonly nullString: string;
  readonly quote: string;
}

/** SHOW words that are ClickHouse statements, not Postgres parameters. */
const CLICKHOUSE_SHOW = new Set([
  'TABLES', 'DATABASES', 'CREATE', 'PROCESSLIST', 'COLUMNS', 'FIELDS', 'SETTINGS', 'FUNCTIONS', 'ENGINES', 'DICTIONARIES',
  'STREAMS', 'VIEWS', 'USERS', 'ROLES', 'GRANTS', 'INDEX', 'INDEXES', 'KEYS', 'CLUSTERS', 'CHANGED', 'FULL', 'EXTENDED', 'TEMPORARY',
  'FORMATS', 'FILESYSTEM', 'ACCESS', 'QUOTAS', 'POLICIES', 'PROFILES', 'PRIVILEGES', 'MERGES', 'SETTING', 'EXTERNAL', 'MATERIALIZED',
]);

function tokensOf(sql: string): Token[] | undefined {
  try {
    return tokenize(sql).filter((t) => !(t.type === 'op' && t.value === ';'));
  } catch {
    return undefined;
  }
}

function valueText(t: Token): string {
  return t.type === 'string' || t.type === 'quoted' ? t.value : t.value;
}

export function classify(sql: string): Shim {
  const toks = tokensOf(sql);
  if (!toks) return { kind: 'engine' };
  if (toks.length === 0) return { kind: 'empty' };
  const w = (i: number) => (toks[i]?.type === 'word' ? toks[i]!.upper : '');
  const first = w(0);
  switch (first) {
    case 'BEGIN':
    case 'START':
      if (first === 'START' && w(1) !== 'TRANSACTION') break;
      return { kind: 'begin' };
    case 'COMMIT':
    case 'END':
      return { kind: 'commit' };
    case 'ROLLBACK':
    case 'ABORT':
      if (w(1) === 'TO' || (w(1) === 'TRANSACTION' && w(2) === 'TO')) return { kind: 'noop', tag: 'ROLLBACK' };
      return { kind: 'rollback' };
    case 'SAVEPOINT':
      return { kind: 'noop', tag: 'SAVEPOINT' };
    case 'RELEASE':
      return { kind: 'noop', tag: 'RELEASE' };
    case 'DEALLOCATE':
      return { kind: 'noop', tag: 'DEALLOCATE' };
    case 'LISTEN':
    case 'UNLISTEN':
      return { kind: 'noop', tag: first };
    case 'DISCARD':
      return { kind: 'discard' };
    case 'RESET':
      return { kind: 'reset', name: w(1) === 'ALL' ? 'ALL' : (toks[1]?.value ?? 'ALL').toLowerCase() };
    case 'SHOW': {
      if (w(1) === 'TRANSACTION' && w(2) === 'ISOLATION') return { kind: 'show', name: 'transaction_isolation' };
      if (toks.length === 2 && (toks[1]!.type === 'word' || toks[1]!.type === 'quoted') && !CLICKHOUSE_SHOW.has(w(1))) return { kind: 'show', name: toks[1]!.value.toLowerCase() };
      break;
    }
    case 'SET':
      return classifySet(toks, sql);
    case 'COPY':
      return classifyCopy(toks, sql) ?? { kind: 'engine' };
    case 'DECLARE': {
      const forIdx = toks.findIndex((t, k) => k > 1 && t.type === 'word' && t.upper === 'FOR');
      const cursorIdx = toks.findIndex((t, k) => k > 1 && t.type === 'word' && t.upper === 'CURSOR');
      if (forIdx < 0 || cursorIdx < 0 || cursorIdx > forIdx || !toks[forIdx + 1]) break;
      const words = toks.slice(2, forIdx).map((t) => t.upper);
      return {
        kind: 'declare',
        name: toks[1]!.value,
        query: sql.slice(toks[forIdx + 1]!.start).replace(/;\s*$/, ''),
        binary: words.includes('BINARY'),
        hold: words.includes('WITH') && words.includes('HOLD'),
      };
    }
    case 'FETCH':
    case 'MOVE': {
      let k = 1;
      let count = 1;
      const dir = w(k);
      if (dir === 'FORWARD' || dir === 'NEXT') k++;
      if (toks[k]?.type === 'number') count = Number(toks[k++]!.value);
      else if (w(k) === 'ALL') {
        count = Infinity;
        k++;
      }
      if (w(k) === 'FROM' || w(k) === 'IN') k++;
      const name = toks[k];
      if (!name || k !== toks.length - 1 || !['', 'FORWARD', 'NEXT', 'FROM', 'IN', 'ALL'].includes(dir) && toks[1]?.type !== 'number' && toks[1] !== name) break;
      return { kind: 'fetch', name: name.value, count, move: first === 'MOVE' };
    }
    case 'CLOSE':
      if (toks.length === 2) return { kind: 'close_cursor', name: w(1) === 'ALL' ? 'ALL' : toks[1]!.value };
      break;
  }
  return { kind: 'engine' };
}

function classifySet(toks: Token[], sql: string): Shim {
  let i = 1;
  const w = (k: number) => (toks[k]?.type === 'word' ? toks[k]!.upper : '');
  if (w(i) === 'SESSION' || w(i) === 'LOCAL') i++;
  if (w(i) === 'CHARACTERISTICS' || w(i) === 'TRANSACTION') return { kind: 'noop', tag: 'SET' };
  if (w(i) === 'TIME' && w(i + 1) === 'ZONE') {
    const v = toks[i + 2];
    return { kind: 'set', name: 'timezone', value: v ? (w(i + 2) === 'LOCAL' || w(i + 2) === 'DEFAULT' ? 'DEFAULT' : valueText(v)) : 'DEFAULT' };
  }
  if (w(i) === 'NAMES') return { kind: 'set', name: 'client_encoding', value: toks[i + 1] ? valueText(toks[i + 1]!) : 'UTF8' };
  const nameTok = toks[i];
  if (!nameTok || (nameTok.type !== 'word' && nameTok.type !== 'quoted')) return { kind: 'engine' };
  let name = nameTok.value;
  i++;
  // Dotted custom parameters: SET myapp.x = 1
  while (toks[i]?.type === 'op' && toks[i]!.value === '.' && toks[i + 1]) {
    name += '.' + toks[i + 1]!.value;
    i += 2;
  }
  const sep = toks[i];
  if (!sep || !((sep.type === 'op' && sep.value === '=') || (sep.type === 'word' && sep.upper === 'TO'))) return { kind: 'engine' };
  // Several `a = 1, b = 2` assignments: ClickHouse syntax, let the engine take it.
  const rest = toks.slice(i + 1);
  if (rest.some((t, k) => t.type === 'op' && t.value === '=' && k > 0)) return { kind: 'engine' };
  const value = rest.length === 1 ? valueText(rest[0]!) : rest.length === 0 ? '' : sql.slice(rest[0]!.start, rest[rest.length - 1]!.end);
  if (rest.length === 1 && rest[0]!.type === 'word' && rest[0]!.upper === 'DEFAULT') return { kind: 'set', name: name.toLowerCase(), value: 'DEFAULT' };
  return { kind: 'set', name: nameTok.type === 'quoted' ? name : name.toLowerCase(), value: rest.length > 1 ? rest.filter((t) => !(t.type === 'op' && t.value === ',')).map(valueText).join(', ') : value };
}

function classifyCopy(toks: Token[], sql: string): Shim | undefined {
  let i = 1;
  let query: string;
  let table = '';
  let columns: string[] = [];
  const op = (k: number, v: string) => toks[k]?.type === 'op' && toks[k]!.value === v;
  if (op(1, '(')) {
    let depth = 0;
    let j = 1;
    for (; j < toks.length; j++) {
      if (op(j, '(')) depth++;
      else if (op(j, ')') && --depth === 0) break;
    }
    if (j >= toks.length) return undefined;
    query = sql.slice(toks[2]!.start, toks[j]!.start);
    i = j + 1;
  } else {
    const parts: string[] = [];
    while (toks[i] && (toks[i]!.type === 'word' || toks[i]!.type === 'quoted')) {
      parts.push(toks[i]!.type === 'quoted' ? '`' + toks[i]!.value.replace(/`/g, '\\`') + '`' : toks[i]!.value);
      i++;
      if (op(i, '.')) i++;
      else break;
    }
    if (!parts.length) return undefined;
    if (parts.length === 2 && parts[0] === 'public') parts[0] = 'default';
    table = parts.join('.');
    if (op(i, '(')) {
      i++;
      while (toks[i] && !op(i, ')')) {
        if (!op(i, ',')) columns.push(toks[i]!.value);
        i++;
      }
      i++;
    }
    query = `SELECT ${columns.length ? columns.map((c) => '`' + c.replace(/`/g, '\\`') + '`').join(', ') : '*'} FROM ${table}`;
  }
  const dir = toks[i]?.upper;
  const target = toks[i + 1]?.upper;
  if (!((dir === 'TO' && target === 'STDOUT') || (dir === 'FROM' && target === 'STDIN'))) return undefined;
  const options = copyOptions(toks.slice(i + 2));
  if (dir === 'TO') return { kind: 'copy_out', query, options };
  if (!table) return undefined;
  columns = columns.map((c) => c);
  return { kind: 'copy_in', table, columns, options };
}

function copyOptions(toks: Token[]): CopyOptions {
  let format: CopyOptions['format'] = 'text';
  let header = false;
  let delimiter: string | undefined;
  let nullString: string | undefined;
  let quote = '"';
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.type !== 'word') continue;
    const next = toks[i + 1];
    switch (t.upper) {
      case 'CSV':
        format = 'csv';
        break;
      case 'BINARY':
        format = 'binary';
        break;
      case 'TEXT':
        format = 'text';
        break;
      case 'FORMAT':
        if (next) {
          const f = next.value.toLowerCase();
          format = f === 'csv' ? 'csv' : f === 'binary' ? 'binary' : 'text';
          i++;
        }
        break;
      case 'HEADER':
        header = !(next?.type === 'word' && (next.upper === 'FALSE' || next.upper === 'OFF')) && !(next?.type === 'number' && next.value === '0');
        break;
      case 'DELIMITER':
        if (next?.type === 'string') {
          delimiter = next.value;
          i++;
        }
        break;
      case 'NULL':
        if (next?.type === 'string') {
          nullString = next.value;
          i++;
        }
        break;
      case 'QUOTE':
        if (next?.type === 'string') {
          quote = next.value;
          i++;
        }
        break;
    }
  }
  return { format, header, delimiter: delimiter ?? (format === 'csv' ? ',' : '\t'), nullString: nullString ?? (format === 'csv' ? '' : '\\N'), quote };
}

/** The CommandComplete tag for a statement the engine ran. */
export function commandTag(sql: string, hasResultSet: boolean, rows: number, written: number): string {
  if (hasResultSet) return `SELECT ${rows}`;
  const toks = tokensOf(sql) ?? [];
  const words = toks.filter((t) => t.type === 'word').map((t) => t.upper);
  const [a = '', b = ''] = words;
  switch (a) {
    case 'INSERT':
      return `INSERT 0 ${written}`;
    case 'DELETE':
      return `DELETE ${written}`;
    case 'UPDATE':
      return `UPDATE ${written}`;
    case 'CREATE':
    case 'DROP':
    case 'ALTER': {
      const kind = ['OR', 'TEMPORARY', 'IF', 'MATERIALIZED', 'EXTERNAL', 'RANDOM'].includes(b) ? words.slice(1).find((x) => ['TABLE', 'STREAM', 'VIEW', 'DATABASE', 'FUNCTION', 'DICTIONARY', 'USER'].includes(x)) ?? 'TABLE' : b;
      return `${a} ${kind === 'STREAM' || kind === 'DICTIONARY' ? 'TABLE' : kind === 'DATABASE' ? 'SCHEMA' : kind}`;
    }
    case 'TRUNCATE':
      return 'TRUNCATE TABLE';
    case 'USE':
      return 'SET';
    default:
      return a || 'OK';
  }
}
