/**
 * Finds where an INSERT's inline data begins in a request body, without parsing SQL: the body of
 * `INSERT INTO t FORMAT CSV\n1,2\n…` or `INSERT INTO t VALUES (1,2)…` may be gigabytes, so the protocol
 * hands only the statement head to the engine and streams the rest. The scan is incremental (call again
 * with a longer buffer) and works on bytes: keywords are ASCII, and UTF-8 never puts ASCII bytes inside
 * a multi-byte character.
 *
 * Result:
 *   'more'   the buffer ends before a decision; give it more bytes (or final = true at the end of the body)
 *   'query'  not an INSERT with inline data: the whole body is the query text
 *   'data'   an INSERT whose statement ends at `sqlEnd`; its data starts at `dataStart`
 */
export type HeadScan =
  | { readonly kind: 'more' }
  | { readonly kind: 'query' }
  | { readonly kind: 'data'; readonly sqlEnd: number; readonly dataStart: number };

const MORE: HeadScan = { kind: 'more' };
const QUERY: HeadScan = { kind: 'query' };

type Phase = 'lead' | 'insert' | 'format-name' | 'after-format';

const enum C {
  Tab = 9, Lf = 10, Ff = 12, Cr = 13, Space = 32, Quote = 39, DQuote = 34, Backtick = 96, Backslash = 92,
  Dash = 45, Slash = 47, Star = 42, Hash = 35, Open = 40, Close = 41, Dot = 46, Underscore = 95,
}

function isSpace(b: number): boolean {
  return b === C.Space || b === C.Tab || b === C.Lf || b === C.Cr || b === C.Ff || b === 11;
}

function isWord(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === C.Underscore || b >= 0x80;
}

/** Words that, just before FORMAT or VALUES, make it a table name rather than the clause. */
const NAME_CONTEXT = new Set(['INTO', 'TABLE', 'FUNCTION', '.']);

export class QueryHeadScanner {
  private pos = 0;
  private phase: Phase = 'lead';
  private depth = 0;
  private prev = '';
  private formatNameEnd = 0;

  scan(buf: Uint8Array, length: number, final: boolean): HeadScan {
    while (true) {
      if (this.phase === 'after-format') return this.afterFormat(buf, length, final);
      const t = nextToken(buf, this.pos, length, final);
      if (t === undefined) return final ? QUERY : MORE;
      if (t.kind === 'end') return QUERY;
      this.pos = t.end;
      if (t.kind === 'space' || t.kind === 'comment') continue;
      switch (this.phase) {
        case 'lead':
          if (t.kind !== 'word' || upperWord(buf, t.start, t.end) !== 'INSERT') return QUERY;
          this.phase = 'insert';
          this.prev = 'INSERT';
          break;
        case 'insert': {
          if (t.kind === 'open') {
            this.depth++;
            this.prev = '(';
            continue;
          }
          if (t.kind === 'close') {
            if (this.depth > 0) this.depth--;
            this.prev = ')';
            continue;
          }
          if (this.depth > 0) continue;
          if (t.kind === 'dot') {
            this.prev = '.';
            continue;
          }
          if (t.kind !== 'word') {
            this.prev = '';
            continue;
          }
          const w = upperWord(buf, t.start, t.end);
          if ((w === 'SELECT' || w === 'WITH') && !NAME_CONTEXT.has(this.prev)) return QUERY;
          if (w === 'VALUES' && !NAME_CONTEXT.has(this.prev)) return { kind: 'data', sqlEnd: t.end, dataStart: t.end };
          if (w === 'FORMAT' && !NAME_CONTEXT.has(this.prev)) {
            this.phase = 'format-name';
            continue;
          }
          this.prev = w;
          break;
        }
        case 'format-name':
          if (t.kind !== 'word' && t.kind !== 'quoted') return QUERY;
          this.formatNameEnd = t.end;
          this.phase = 'after-format';
          break;
      }
    }
  }

  /** After `FORMAT name`: data starts after spaces and tabs and at most one line break (ClickHouse's rule). */
  private afterFormat(buf: Uint8Array, length: number, final: boolean): HeadScan {
    let p = this.formatNameEnd;
    while (p < length && (buf[p] === C.Space || buf[p] === C.Tab || buf[p] === C.Ff)) p++;
    if (p < length && buf[p] === C.Cr) p++;
    if (p < length && buf[p] === C.Lf) p++;
    else if (p >= length && !final) return MORE;
    return { kind: 'data', sqlEnd: this.formatNameEnd, dataStart: p };
  }
}

interface Token {
  readonly kind: 'space' | 'comment' | 'word' | 'quoted' | 'string' | 'open' | 'close' | 'dot' | 'other' | 'end';
  readonly start: number;
  readonly end: number;
}

/** The token at `p`, or undefined when it may continue past `length` (and the body has more). */
function nextToken(buf: Uint8Array, p: number, length: number, final: boolean): Token | undefined {
  if (p >= length) return final ? { kind: 'end', start: p, end: p } : undefined;
  const b = buf[p];
  if (isSpace(b)) {
    let q = p + 1;
    while (q < length && isSpace(buf[q])) q++;
    return { kind: 'space', start: p, end: q };
  }
  if (isWord(b)) {
    let q = p + 1;
    while (q < length && isWord(buf[q])) q++;
    if (q >= length && !final) return undefined;
    return { kind: 'word', start: p, end: q };
  }
  if (b === C.Quote || b === C.DQuote || b === C.Backtick) {
    let q = p + 1;
    while (q < length) {
      const c = buf[q];
      if (c === C.Backslash) {
        q += 2;
        continue;
      }
      if (c === b) {
        if (q + 1 < length && buf[q + 1] === b) {
          q += 2;
          continue;
        }
        if (q + 1 >= length && !final) return undefined; // a doubled quote may follow
        return { kind: b === C.Quote ? 'string' : 'quoted', start: p, end: q + 1 };
      }
      q++;
    }
    return final ? { kind: 'end', start: p, end: length } : undefined;
  }
  if (b === C.Dash || b === C.Slash || b === C.Hash) {
    if (p + 1 >= length) {
      if (!final) return undefined;
      return { kind: 'other', start: p, end: p + 1 };
    }
    const n = buf[p + 1];
    const lineComment = (b === C.Dash && n === C.Dash) || (b === C.Hash && (n === C.Space || n === 33));
    if (lineComment) {
      let q = p + 2;
      while (q < length && buf[q] !== C.Lf) q++;
      if (q >= length) return final ? { kind: 'end', start: p, end: length } : undefined;
      return { kind: 'comment', start: p, end: q + 1 };
    }
    if (b === C.Slash && n === C.Star) {
      let q = p + 2;
      while (q + 1 < length && !(buf[q] === C.Star && buf[q + 1] === C.Slash)) q++;
      if (q + 1 >= length) return final ? { kind: 'end', start: p, end: length } : undefined;
      return { kind: 'comment', start: p, end: q + 2 };
    }
    return { kind: 'other', start: p, end: p + 1 };
  }
  if (b === C.Open) return { kind: 'open', start: p, end: p + 1 };
  if (b === C.Close) return { kind: 'close', start: p, end: p + 1 };
  if (b === C.Dot) return { kind: 'dot', start: p, end: p + 1 };
  return { kind: 'other', start: p, end: p + 1 };
}

function upperWord(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 16) return '';
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i];
    s += String.fromCharCode(c >= 97 && c <= 122 ? c - 32 : c);
  }
  return s;
}
