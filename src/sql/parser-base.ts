import { DbError, syntaxError } from '../errors/index.js';
import { Lexer, type Token } from './lexer.js';

/** Nesting deeper than this raises TOO_DEEP_AST instead of exhausting the stack. */
export const MAX_DEPTH = 1000;

/**
 * The token cursor every part of the parser builds on: lazy lookahead over the lexer, keyword and operator
 * matching, and ClickHouse-style errors that name the furthest position reached and what was expected there.
 */
export class ParserBase {
  protected readonly lexer: Lexer;
  protected tokens: Token[] = [];
  protected idx = 0;
  protected depth = 0;
  private expectedPos = -1;
  private readonly expected: string[] = [];

  constructor(
    readonly sql: string,
    start = 0,
  ) {
    this.lexer = new Lexer(sql, start);
  }

  // ------------------------------------------------------------ cursor

  peek(k = 0): Token {
    const want = this.idx + k;
    const toks = this.tokens;
    while (toks.length <= want) {
      const last = toks[toks.length - 1];
      if (last && last.type === 'eof') return last;
      toks.push(this.lexer.next());
    }
    return toks[want]!;
  }

  advance(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.idx++;
    return t;
  }

  /** Offset of the current token. */
  get offset(): number {
    return this.peek().start;
  }

  /** End offset of the previous token. */
  get prevEnd(): number {
    return this.idx > 0 ? this.tokens[this.idx - 1]!.end : 0;
  }

  mark(): number {
    return this.idx;
  }

  rewind(mark: number): void {
    this.idx = mark;
  }

  /** Drops lookahead and continues lexing at `offset` (after text read by another grammar). */
  resetAt(offset: number): void {
    this.tokens.length = this.idx;
    this.lexer.reset(offset);
  }

  /** Replaces the lookahead with `token` (text another grammar read), consumes it and lexes on after it. */
  spliceToken(token: Token): void {
    this.tokens.length = this.idx;
    this.tokens.push(token);
    this.idx++;
    this.lexer.reset(token.end);
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }

  // ------------------------------------------------------------ matching

  isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'word' && t.upper === word;
  }

  isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'op' && t.value === op;
  }

  acceptKw(word: string): boolean {
    const t = this.peek();
    if (t.type === 'word' && t.upper === word) {
      this.idx++;
      return true;
    }
    this.noteExpected(word);
    return false;
  }

  /** A multi-word keyword such as `GROUP BY`: all words or nothing. */
  acceptKws(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      if (!this.isKw(words[k]!, k)) {
        this.noteExpected(words.join(' '));
        return false;
      }
    }
    this.idx += words.length;
    return true;
  }

  expectKw(...words: string[]): void {
    if (!this.acceptKws(...words)) this.fail();
  }

  acceptOp(op: string): boolean {
    const t = this.peek();
    if (t.type === 'op' && t.value === op) {
      this.idx++;
      return true;
    }
    this.noteExpected(`'${op}'`);
    return false;
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail();
  }

  acceptAnyKw(words: readonly string[]): string | undefined {
    const t = this.peek();
    if (t.type === 'word' && words.includes(t.upper)) {
      this.idx++;
      return t.upper;
    }
    for (const w of words) this.noteExpected(w);
    return undefined;
  }

  /** Records that `what` would have been accepted at the current token (for the error message). */
  noteExpected(what: string): void {
    const pos = this.peek().start;
    if (pos < this.expectedPos) return;
    if (pos > this.expectedPos) {
      this.expectedPos = pos;
      this.expected.length = 0;
    }
    if (!this.expected.includes(what)) this.expected.push(what);
  }

  /** Throws SYNTAX_ERROR at the furthest position reached, naming what was expected there. */
  fail(what?: string): never {
    if (what) this.noteExpected(what);
    const cur = this.peek().start;
    const pos = Math.max(this.expectedPos, cur);
    const list = pos === this.expectedPos ? [...this.expected] : [];
    let msg: string;
    if (list.length === 0) msg = pos >= this.sql.length ? 'Unexpected end of query' : 'Unexpected token';
    else if (list.length === 1) msg = `Expected ${list[0]}`;
    else msg = `Expected one of: ${list.join(', ')}`;
    if (pos >= this.sql.length && list.length > 0) msg = `Unexpected end of query. ${msg}`;
    throw syntaxError(msg, this.sql, pos);
  }

  /** A syntax error with a specific message at the current token. */
  error(message: string, pos = this.offset): never {
    throw syntaxError(message, this.sql, pos);
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new DbError('TOO_DEEP_AST', `AST is too deep. Maximum: ${MAX_DEPTH}`);
    }
  }

  leave(): void {
    this.depth--;
  }

  // ------------------------------------------------------------ names

  /**
   * An optional `TABLE`/`STREAM` before an object name: taken as the keyword only when a name follows
   * (`DESC stream` describes a table called stream). Returns the keyword taken.
   */
  acceptObjectWord(words: readonly string[], notBefore: readonly string[] = []): string | undefined {
    const t = this.peek();
    if (t.type !== 'word' || !words.includes(t.upper)) {
      for (const w of words) this.noteExpected(w);
      return undefined;
    }
    const n = this.peek(1);
    if (n.type === 'quoted' || (n.type === 'word' && !notBefore.includes(n.upper))) {
      this.idx++;
      return t.upper;
    }
    return undefined;
  }

  /** A bare or quoted identifier (any bare word, keywords included). */
  acceptIdent(): string | undefined {
    const t = this.peek();
    if (t.type === 'word' || t.type === 'quoted') {
      this.idx++;
      return t.value;
    }
    this.noteExpected('identifier');
    return undefined;
  }

  ident(): string {
    const name = this.acceptIdent();
    if (name === undefined) this.fail();
    return name;
  }

  /** A string literal's value. */
  stringLit(): string {
    const t = this.peek();
    if (t.type === 'string' || t.type === 'heredoc') {
      this.idx++;
      return t.value;
    }
    this.fail('string literal');
  }

  /** `name` or a string literal (ClickHouse accepts both in several places). */
  identOrString(): string {
    const t = this.peek();
    if (t.type === 'string') {
      this.idx++;
      return t.value;
    }
    return this.ident();
  }
}
