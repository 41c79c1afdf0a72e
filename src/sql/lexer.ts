import { syntaxError } from '../errors/index.js';
import type { TypeAst } from './ast.js';
import { readQuoted } from './string-literal.js';

/**
 * A hand-written tokenizer for ClickHouse's SQL dialect with Proton's additions.
 *
 * It is lazy: the parser pulls tokens one at a time, so an `INSERT … VALUES` statement never has its data
 * tokenized (the parser stops after `VALUES` and reports where the data starts), and it can be restarted at
 * any offset (after a type was read by the shared type parser, or after inline INSERT data in a script).
 */

export type TokenType =
  /** A bare word: keyword, identifier, or something like `5s` / `99004_speed` (digits then word characters). */
  | 'word'
  /** `backtick` or "double-quoted" identifier; `value` is unescaped. */
  | 'quoted'
  /** 'string literal'; `value` is unescaped. */
  | 'string'
  /** `$$ … $$` or `$tag$ … $tag$`; `value` is the body. */
  | 'heredoc'
  /** A number as written (`1`, `1.5e3`, `0x1F`, `0b101`, `1_000`); `value` is the text. */
  | 'number'
  /** Postgres-style `$1` placeholder; `value` is the text. */
  | 'placeholder'
  /** Punctuation and operators; `value` is the operator (`(`, `::`, `->`, `||`, `!=`, `==`, …). */
  | 'op'
  /** A type already read by the shared type grammar (the parser splices it in; the lexer never produces it). */
  | 'type'
  | 'eof';

export interface Token {
  type: TokenType;
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  value: string;
  /** Upper-cased `value` for words (keyword matching); '' otherwise. */
  upper: string;
  /** For 'type' tokens: the parsed type. */
  typeAst?: TypeAst;
}

const CH_SPACE = 1;
const CH_WORD = 2; // [A-Za-z0-9_$] and non-ASCII letters are handled separately
const CH_DIGIT = 4;
const CH_HEX = 8;

const charClass = new Uint8Array(128);
for (const c of ' \t\n\r\f\v') charClass[c.charCodeAt(0)] |= CH_SPACE;
for (let c = 48; c <= 57; c++) charClass[c] |= CH_WORD | CH_DIGIT | CH_HEX;
for (let c = 65; c <= 90; c++) charClass[c] |= CH_WORD;
for (let c = 97; c <= 122; c++) charClass[c] |= CH_WORD;
for (const c of 'abcdefABCDEF') charClass[c.charCodeAt(0)] |= CH_HEX;
charClass[95] |= CH_WORD; // _
charClass[36] |= CH_WORD; // $

/** Unicode spaces and invisible separators ClickHouse skips like whitespace. */
function isUnicodeSpace(c: number): boolean {
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || c === 0x180e || (c >= 0x2000 && c <= 0x200d) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff
  );
}

function isWordChar(c: number): boolean {
  // Non-ASCII characters (letters in other scripts) may appear in bare identifiers.
  return c < 128 ? (charClass[c]! & CH_WORD) !== 0 : !isUnicodeSpace(c);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return c < 128 && (charClass[c]! & CH_HEX) !== 0;
}

const HEREDOC_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;

export class Lexer {
  pos: number;
  private prevType: TokenType | '' = '';
  private prevValue = '';

  constructor(
    readonly sql: string,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Continues lexing at `pos`, as if the previous token were an ordinary separator. */
  reset(pos: number): void {
    this.pos = pos;
    this.prevType = '';
    this.prevValue = '';
  }

  /** Skips whitespace and comments; returns the offset of the next significant character. */
  skipSpace(): number {
    const s = this.sql;
    const n = s.length;
    let i = this.pos;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 128 && (charClass[c]! & CH_SPACE) !== 0) {
        i++;
      } else if (c === 45 /* - */ && s.charCodeAt(i + 1) === 45) {
        i = lineEnd(s, i);
      } else if (c === 35 /* # */) {
        i = lineEnd(s, i);
      } else if (c === 47 /* / */ && s.charCodeAt(i + 1) === 47) {
        i = lineEnd(s, i);
      } else if (c === 47 && s.charCodeAt(i + 1) === 42 /* * */) {
        let depth = 1;
        let j = i + 2;
        while (j < n && depth > 0) {
          const d = s.charCodeAt(j);
          if (d === 47 && s.charCodeAt(j + 1) === 42) {
            depth++;
            j += 2;
          } else if (d === 42 && s.charCodeAt(j + 1) === 47) {
            depth--;
            j += 2;
          } else j++;
        }
        if (depth > 0) throw syntaxError('Multiline comment is not closed', s, i);
        i = j;
      } else if (isUnicodeSpace(c)) {
        i++; // Unicode spaces from copy-pasted queries
      } else break;
    }
    this.pos = i;
    return i;
  }

  next(): Token {
    const s = this.sql;
    const start = this.skipSpace();
    if (start >= s.length) return this.make('eof', start, start, '');
    const c = s.charCodeAt(start);

    if (isDigit(c)) return this.lexNumber(start);
    switch (c) {
      case 39 /* ' */:
        return this.make('string', start, ...readQuoted(s, start, 39));
      case 34 /* " */:
      case 96 /* ` */:
        return this.make('quoted', start, ...readQuoted(s, start, c));
      case 46 /* . */: {
        const n1 = s.charCodeAt(start + 1);
        const pt = this.prevType;
        if (
          start > 0 &&
          (!isDigit(n1) ||
            pt === 'word' ||
            pt === 'quoted' ||
            pt === 'number' ||
            (pt === 'op' && (this.prevValue === ')' || this.prevValue === ']')))
        ) {
          return this.make('op', start, start + 1, '.');
        }
        return this.lexNumber(start);
      }
      case 36 /* $ */: {
        HEREDOC_TAG.lastIndex = start;
        const m = HEREDOC_TAG.exec(s);
        if (m) {
          const tag = m[0];
          const bodyStart = start + tag.length;
          const close = s.indexOf(tag, bodyStart);
          if (close >= 0) return this.make('heredoc', start, close + tag.length, s.slice(bodyStart, close));
          if (tag === '$$') throw syntaxError('Heredoc ($$ … $$) is not closed', s, start);
        }
        if (isDigit(s.charCodeAt(start + 1))) {
          let j = start + 1;
          while (isDigit(s.charCodeAt(j))) j++;
          return this.make('placeholder', start, j, s.slice(start, j));
        }
        return this.lexWord(start);
      }
    }
    if (isWordChar(c)) return this.lexWord(start);
    return this.lexOperator(start, c);
  }

  private make(type: TokenType, start: number, end: number, value: string, upper = ''): Token {
    this.pos = end;
    this.prevType = type;
    this.prevValue = value;
    return { type, start, end, value, upper };
  }

  private lexWord(start: number): Token {
    const s = this.sql;
    let j = start + 1;
    while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
    const value = s.slice(start, j);
    return this.make('word', start, j, value, value.toUpperCase());
  }

  private lexNumber(start: number): Token {
    const s = this.sql;
    const n = s.length;
    let j = start;
    if (this.prevType === 'op' && this.prevValue === '.') {
      // `x.1.2` is tuple access twice, not `x . 1.2`.
      while (j < n && (isDigit(s.charCodeAt(j)) || isSeparator(s, j, false))) j++;
    } else {
      let hex = false;
      const n1 = s.charCodeAt(j + 1);
      if (s.charCodeAt(j) === 48 && (n1 === 120 || n1 === 88 || n1 === 98 || n1 === 66) && j + 2 < n) {
        hex = n1 === 120 || n1 === 88;
        const d = s.charCodeAt(j + 2);
        if (hex ? isHexDigit(d) : d === 48 || d === 49) j += 2;
      }
      const digit = hex ? isHexDigit : isDigit;
      while (j < n && (digit(s.charCodeAt(j)) || isSeparator(s, j, hex))) j++;
      if (s.charCodeAt(j) === 46 /* . */) {
        j++;
        while (j < n && (digit(s.charCodeAt(j)) || isSeparator(s, j, hex))) j++;
      }
      const e = s.charCodeAt(j);
      if (j + 1 < n && (hex ? e === 112 || e === 80 : e === 101 || e === 69)) {
        let k = j + 1;
        const sign = s.charCodeAt(k);
        if (sign === 43 || sign === 45) k++;
        if (isDigit(s.charCodeAt(k))) {
          j = k;
          while (j < n && (isDigit(s.charCodeAt(j)) || isSeparator(s, j, false))) j++;
        }
      }
    }
    // `5s`, `1identifier`, `99004_speed`: a word that starts with digits (Proton's intervals, table names).
    if (j < n && isWordChar(s.charCodeAt(j))) {
      let k = j;
      while (k < n && isWordChar(s.charCodeAt(k))) k++;
      const value = s.slice(start, k);
      if (/^[0-9A-Za-z_$]+$/.test(value) || !/[.]/.test(value)) return this.make('word', start, k, value, value.toUpperCase());
      throw syntaxError('Wrong number', s, start);
    }
    return this.make('number', start, j, s.slice(start, j));
  }

  private lexOperator(start: number, c: number): Token {
    const s = this.sql;
    const n1 = s.charCodeAt(start + 1);
    let len = 0;
    switch (c) {
      case 40: // (
      case 41: // )
      case 91: // [
      case 93: // ]
      case 123: // {
      case 125: // }
      case 44: // ,
      case 59: // ;
      case 43: // +
      case 42: // *
      case 47: // /
      case 37: // %
      case 63: // ?
        len = 1;
        break;
      case 45: // - ->
        len = n1 === 62 ? 2 : 1;
        break;
      case 61: // = ==
        len = n1 === 61 ? 2 : 1;
        break;
      case 33: // != (and Postgres' !~ / !~*)
        if (n1 === 126) {
          len = s.charCodeAt(start + 2) === 42 ? 3 : 2;
          break;
        }
        if (n1 !== 61) throw syntaxError('Exclamation mark can only occur in != operator', s, start);
        len = 2;
        break;
      case 126: // Postgres' regular-expression match ~ and ~*
        len = n1 === 42 ? 2 : 1;
        break;
      case 60: // < <= <> <=>
        len = n1 === 61 && s.charCodeAt(start + 2) === 62 ? 3 : n1 === 61 || n1 === 62 ? 2 : 1;
        break;
      case 62: // > >=
        len = n1 === 61 ? 2 : 1;
        break;
      case 58: // : ::
        len = n1 === 58 ? 2 : 1;
        break;
      case 124: // ||
        if (n1 !== 124) throw syntaxError('Pipe symbol could only occur in || operator', s, start);
        len = 2;
        break;
      case 64: // @ @@
        len = n1 === 64 ? 2 : 1;
        break;
      case 92: // \G
        if (n1 === 71) len = 2;
        break;
    }
    if (len === 0) throw syntaxError('Unrecognized token', s, start);
    return this.make('op', start, start + len, len === 1 ? OP_CHARS[c]! : s.slice(start, start + len));
  }
}

/** One-character operators as interned strings (no slicing per token). */
const OP_CHARS: string[] = [];
for (const ch of '()[]{},;+*/%?-=<>:@~') OP_CHARS[ch.charCodeAt(0)] = ch;

function lineEnd(s: string, i: number): number {
  const j = s.indexOf('\n', i);
  return j < 0 ? s.length : j + 1;
}

/** `_` between digits (`1_000_000`). */
function isSeparator(s: string, i: number, hex: boolean): boolean {
  if (s.charCodeAt(i) !== 95) return false;
  const ok = hex ? isHexDigit : isDigit;
  return ok(s.charCodeAt(i - 1)) && ok(s.charCodeAt(i + 1));
}

/** All tokens of a text, for tools (the Postgres protocol counts `$n` placeholders with it). */
export function tokenize(sql: string): Token[] {
  const lexer = new Lexer(sql);
  const out: Token[] = [];
  for (;;) {
    const t = lexer.next();
    if (t.type === 'eof') return out;
    out.push(t);
  }
}
