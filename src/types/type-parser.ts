import type { TypeAst, TypeArg } from '../sql/ast.js';
import { DbError } from '../errors/index.js';

/**
 * The grammar of type expressions, shared by the SQL parser (column definitions, CAST) and by every place a
 * type arrives as text (native protocol headers, RowBinaryWithNamesAndTypes, CAST(x, 'T')).
 *
 *   type      := name [ '(' arg (',' arg)* ')' ]
 *   arg       := number | string ['=' number] | [ident] type
 *   name      := identifier with spaces allowed in known multi-word names ("Double Precision" is not supported)
 */
export function parseTypeAt(text: string, start: number): { type: TypeAst; end: number } {
  const p = new TypeParser(text, start);
  const type = p.parseType();
  return { type, end: p.pos };
}

export function parseTypeAst(text: string): TypeAst {
  const p = new TypeParser(text, 0);
  const type = p.parseType();
  p.skipSpace();
  if (p.pos !== text.length) throw p.error('unexpected text after type');
  return type;
}

class TypeParser {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  error(what: string): DbError {
    return new DbError('SYNTAX_ERROR', `Cannot parse type '${this.text}': ${what} at position ${this.pos + 1}`);
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length && /\s/.test(t[this.pos]!)) this.pos++;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  identifier(): string | undefined {
    this.skipSpace();
    const t = this.text;
    if (t[this.pos] === '`' || t[this.pos] === '"') {
      const q = t[this.pos]!;
      let end = this.pos + 1;
      let out = '';
      while (end < t.length && t[end] !== q) {
        if (t[end] === '\\' && end + 1 < t.length) end++;
        out += t[end];
        end++;
      }
      if (end >= t.length) throw this.error('unterminated quoted identifier');
      this.pos = end + 1;
      return out;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(this.pos, this.pos + 256));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  parseType(): TypeAst {
    const start = this.pos;
    const name = this.identifier();
    if (!name) throw this.error('expected a type name');
    // Multi-word SQL-standard spellings ClickHouse accepts.
    const upper = name.toUpperCase();
    if (upper === 'DOUBLE' && /^\s+PRECISION\b/i.test(this.text.slice(this.pos))) {
      this.identifier();
      return { name: 'Float64', args: [] };
    }
    if ((upper === 'CHARACTER' || upper === 'CHAR') && /^\s+VARYING\b/i.test(this.text.slice(this.pos))) {
      this.identifier();
    }
    if (this.peek() !== '(') return { name, args: [] };
    this.pos++;
    const args: TypeArg[] = [];
    if (this.peek() === ')') {
      this.pos++;
      return { name, args };
    }
    for (;;) {
      args.push(this.parseArg(name));
      const c = this.peek();
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        break;
      }
      this.pos = Math.max(this.pos, start);
      throw this.error(`expected ',' or ')' in arguments of ${name}`);
    }
    return { name, args };
  }

  private parseArg(outer: string): TypeArg {
    const c = this.peek();
    const t = this.text;
    if (c === "'") {
      const value = this.stringLiteral();
      if (this.peek() === '=') {
        this.pos++;
        this.skipSpace();
        return { kind: 'enum', name: value, value: this.number() };
      }
      return { kind: 'string', value };
    }
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return { kind: 'number', value: this.number() };
    // `name Type` in named tuples (and Nested); otherwise a plain type.
    const save = this.pos;
    const first = this.identifier();
    if (!first) throw this.error(`expected an argument of ${outer}`);
    this.skipSpace();
    const next = t[this.pos] ?? '';
    if (/[A-Za-z_`"]/.test(next) && /^(Tuple|Nested|Object)$/i.test(outer)) {
      const type = this.parseType();
      return { kind: 'type', type, name: first };
    }
    this.pos = save;
    return { kind: 'type', type: this.parseType() };
  }

  private number(): number {
    this.skipSpace();
    const m = /^[-+]?\d+(\.\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!m) throw this.error('expected a number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private stringLiteral(): string {
    const t = this.text;
    let i = this.pos + 1;
    let out = '';
    for (;;) {
      if (i >= t.length) throw this.error('unterminated string');
      const ch = t[i]!;
      if (ch === '\\') {
        const n = t[i + 1] ?? '';
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === '0' ? '\0' : n;
        i += 2;
        continue;
      }
      if (ch === "'") {
        if (t[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        break;
      }
      out += ch;
      i++;
    }
    this.pos = i + 1;
    return out;
  }
}
