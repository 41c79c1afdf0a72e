/**
 * A small lexer over MySQL-client SQL: enough to find `?` placeholders, `@@variables`, leading keywords and
 * statement boundaries without touching quoted text or comments. It never judges the SQL; the engine does.
 */

export type TokenKind = 'word' | 'number' | 'string' | 'quoted_ident' | 'placeholder' | 'variable' | 'user_variable' | 'punct' | 'comment' | 'space';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** Words: as written; strings and quoted identifiers: unquoted; variables: the name after @@ (scope stripped). */
  readonly text: string;
}

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}

function unquote(body: string, q: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && q !== '`' && i + 1 < body.length) {
      const n = body[++i]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '0' ? '\0' : n;
    } else if (c === q && body[i + 1] === q) {
      out += q;
      i++;
    } else out += c;
  }
  return out;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i]!)) i++;
      out.push({ kind: 'space', start, end: i, text: sql.slice(start, i) });
    } else if (c === '-' && sql[i + 1] === '-' || c === '#') {
      while (i < n && sql[i] !== '\n') i++;
      out.push({ kind: 'comment', start, end: i, text: sql.slice(start, i) });
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      out.push({ kind: 'comment', start, end: i, text: sql.slice(start, i) });
    } else if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n) {
        if (sql[i] === '\\' && c !== '`') i += 2;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      const body = sql.slice(start + 1, Math.min(i, n));
      i = Math.min(i + 1, n);
      out.push({ kind: c === '`' ? 'quoted_ident' : 'string', start, end: i, text: unquote(body, c) });
    } else if (c === '?') {
      i++;
      out.push({ kind: 'placeholder', start, end: i, text: '?' });
    } else if (c === '@' && sql[i + 1] === '@') {
      i += 2;
      let name = '';
      for (;;) {
        const s = i;
        if (sql[i] === '`') {
          const e = sql.indexOf('`', i + 1);
          i = e < 0 ? n : e + 1;
          name = sql.slice(s + 1, e < 0 ? n : e);
        } else {
          while (i < n && isWordChar(sql[i]!)) i++;
          name = sql.slice(s, i);
        }
        if (sql[i] === '.' && /^(session|global|local|persist|persist_only)$/i.test(name)) {
          i++;
          continue;
        }
        break;
      }
      out.push({ kind: 'variable', start, end: i, text: name });
    } else if (c === '@') {
      i++;
      while (i < n && (isWordChar(sql[i]!) || sql[i] === '.')) i++;
      out.push({ kind: 'user_variable', start, end: i, text: sql.slice(start + 1, i) });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) {
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '+' || sql[i + 1] === '-')) i++;
        i++;
      }
      out.push({ kind: 'number', start, end: i, text: sql.slice(start, i) });
    } else if (isWordChar(c)) {
      while (i < n && isWordChar(sql[i]!)) i++;
      out.push({ kind: 'word', start, end: i, text: sql.slice(start, i) });
    } else {
      i++;
      out.push({ kind: 'punct', start, end: i, text: c });
    }
  }
  return out;
}

/** Tokens without spaces and comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** Splits on `;` outside quotes and comments; empty statements are dropped. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let from = 0;
  const tokens = tokenize(sql);
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === ';') {
      out.push(sql.slice(from, t.start));
      from = t.end;
    }
  }
  out.push(sql.slice(from));
  return out.filter((s) => significant(tokenize(s)).length > 0);
}

export function countPlaceholders(sql: string): number {
  let n = 0;
  for (const t of tokenize(sql)) if (t.kind === 'placeholder') n++;
  return n;
}

/** Rebuilds `sql` with some tokens replaced (by index into `tokens`). */
export function replaceTokens(sql: string, tokens: readonly Token[], replacement: (t: Token, index: number) => string | undefined): string {
  let out = '';
  let pos = 0;
  tokens.forEach((t, i) => {
    const r = replacement(t, i);
    if (r === undefined) return;
    out += sql.slice(pos, t.start) + r;
    pos = t.end;
  });
  return out + sql.slice(pos);
}
