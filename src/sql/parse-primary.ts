import type { AsteriskExpr, Expr } from './ast.js';
import { fn, ident, intervalShorthand, INTERVAL_UNITS, lit, numberLiteral } from './ast-util.js';
import type { Token } from './lexer.js';
import { CallParser } from './parse-call.js';

/** Words that never start an expression, so `SELECT FROM t` fails instead of selecting a column named FROM. */
const NOT_AN_EXPRESSION = new Set([
  'FROM', 'WHERE', 'PREWHERE', 'HAVING', 'UNION', 'INTERSECT', 'AND', 'OR', 'THEN', 'ELSE', 'WHEN', 'AS', 'SELECT',
]);

/**
 * Expression elements: literals, identifiers, function calls (with ClickHouse's special forms), CASE,
 * INTERVAL, parentheses, tuples, arrays, `*`, query parameters, and the postfix operators `[i]`, `.n`, `::T`
 * and Proton's `json:path`. Operators are in ExpressionParser, which extends this class.
 */
export abstract class PrimaryParser extends CallParser {
  parsePrimary(): Expr {
    const t = this.peek();
    let e: Expr;
    switch (t.type) {
      case 'number':
        this.advance();
        e = numberLiteral(t.value, false, t.start);
        break;
      case 'string':
      case 'heredoc':
        this.advance();
        e = lit(t.value, t.start);
        break;
      case 'word':
      case 'quoted':
        e = this.parseWordPrimary(t);
        break;
      case 'op':
        e = this.parseOpPrimary(t);
        break;
      case 'placeholder':
        this.error(`Unbound placeholder ${t.value}: the Postgres protocol substitutes these before parsing`);
      default:
        this.fail('expression');
    }
    return this.parsePostfix(e);
  }

  /** `[i]`, `.1`, `.name`, `::Type`, `json:path` after an element. */
  parsePostfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.type !== 'op') return e;
      if (t.value === '[') {
        this.advance();
        const saved = this.inTernaryThen;
        this.inTernaryThen = false;
        const index = this.parseExpr();
        this.inTernaryThen = saved;
        this.expectOp(']');
        e = fn('arrayElement', [e, index], t.start);
      } else if (t.value === '.') {
        const n = this.peek(1);
        if (n.type === 'number' && /^\d+$/.test(n.value)) {
          this.idx += 2;
          e = fn('tupleElement', [e, numberLiteral(n.value, false, n.start)], t.start);
        } else if (n.type === 'word' || n.type === 'quoted') {
          this.idx += 2;
          e = fn('tupleElement', [e, lit(n.value, n.start)], t.start);
        } else return e;
      } else if (t.value === '::') {
        this.advance();
        e = fn('CAST', [e, lit(this.parseTypeText())], t.start);
      } else if (t.value === ':' && !this.inTernaryThen && this.isJsonPathAfterColon()) {
        this.advance();
        const parts = [this.ident()];
        while (this.isOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'quoted')) {
          this.advance();
          parts.push(this.ident());
        }
        const path = '$.' + parts.map((p) => '`' + p.replace(/`/g, '\\`') + '`').join('.');
        e = fn('json_value', [e, lit(path)], t.start);
      } else return e;
    }
  }

  private isJsonPathAfterColon(): boolean {
    const n = this.peek(1);
    return (n.type === 'word' || n.type === 'quoted') && !this.isOp('(', 2);
  }

  // ------------------------------------------------------------ words

  private parseWordPrimary(t: Token): Expr {
    const pos = t.start;
    if (t.type === 'word') {
      const next = this.peek(1);
      const nextIsCall = next.type === 'op' && next.value === '(';
      const interval = intervalShorthand(t.value);
      if (interval) {
        this.advance();
        return fn('toInterval' + interval.kind, [numberLiteral(interval.value, false, pos)], pos);
      }
      switch (t.upper) {
        case 'NULL':
          if (nextIsCall) break;
          this.advance();
          return lit(null, pos);
        case 'TRUE':
        case 'FALSE':
          if (nextIsCall) break;
          this.advance();
          return lit(t.upper === 'TRUE', pos);
        case 'INF':
        case 'INFINITY':
        case 'NAN':
          if (nextIsCall || this.isOp('.', 1)) break;
          this.advance();
          return lit(t.upper === 'NAN' ? NaN : Infinity, pos, t.value.toLowerCase());
        case 'CASE':
          if (!this.isCaseStart()) break;
          return this.parseCase();
        case 'INTERVAL': {
          const e = this.tryParseInterval();
          if (e) return e;
          break;
        }
        case 'DATE':
        case 'TIMESTAMP':
          if (next.type === 'string') {
            this.idx += 2;
            return fn(t.upper === 'DATE' ? 'toDate' : 'toDateTime', [lit(next.value, next.start)], pos);
          }
          break;
        case 'COLUMNS':
          if (nextIsCall) return this.parseColumnsMatcher(undefined);
          break;
        default:
          if (NOT_AN_EXPRESSION.has(t.upper) && !nextIsCall) this.fail('expression');
      }
    }
    // A (compound) identifier, a qualified asterisk, or a function call.
    this.advance();
    const parts = [t.value];
    for (;;) {
      if (!this.isOp('.')) break;
      const n = this.peek(1);
      if (n.type === 'word' || n.type === 'quoted') {
        if (n.type === 'word' && n.upper === 'COLUMNS' && this.isOp('(', 2)) {
          this.advance();
          return this.parseColumnsMatcher(parts);
        }
        this.idx += 2;
        parts.push(n.value);
      } else if (n.type === 'op' && n.value === '*') {
        this.idx += 2;
        const a: AsteriskExpr = { kind: 'asterisk', qualifier: parts, pos };
        return this.parseAsteriskTransformers(a);
      } else break;
    }
    if (this.isOp('(') && parts.length === 1) return this.parseFunctionCall(parts[0]!, pos);
    return ident(parts, pos);
  }

  private isCaseStart(): boolean {
    const n = this.peek(1);
    if (n.type === 'eof') return false;
    if (n.type === 'op') return n.value === '(' || n.value === '[' || n.value === '-' || n.value === '{';
    return !(n.type === 'word' && (n.upper === 'AS' || n.upper === 'FROM'));
  }

  private parseCase(): Expr {
    const pos = this.advance().start;
    let subject: Expr | undefined;
    if (!this.isKw('WHEN')) subject = this.parseExpr();
    const args: Expr[] = [];
    while (this.acceptKw('WHEN')) {
      args.push(this.parseExpr());
      this.expectKw('THEN');
      args.push(this.parseExpr());
    }
    if (args.length === 0) this.fail();
    args.push(this.acceptKw('ELSE') ? this.parseExpr() : lit(null));
    this.expectKw('END');
    if (subject) return fn('caseWithExpression', [subject, ...args], pos);
    return fn('multiIf', args, pos);
  }

  /** `INTERVAL 1 DAY`, `INTERVAL '1 day'`, `INTERVAL '1' DAY`, `INTERVAL x + 1 HOUR`. */
  private tryParseInterval(): Expr | undefined {
    const start = this.mark();
    const pos = this.advance().start;
    const t = this.peek();
    if (t.type === 'eof' || (t.type === 'op' && t.value !== '(' && t.value !== '-' && t.value !== '{')) {
      this.rewind(start);
      return undefined;
    }
    if (t.type === 'string') {
      const m = /^\s*([-+]?\d+(?:\.\d+)?)\s+([A-Za-z_]+)\s*$/.exec(t.value);
      const kind = m ? INTERVAL_UNITS[m[2]!.toUpperCase()] : undefined;
      if (m && kind) {
        this.advance();
        return fn('toInterval' + kind, [numberLiteral(m[1]!.replace(/^\+/, '').replace(/^-/, ''), m[1]!.startsWith('-'))], pos);
      }
      const unit = this.peek(1);
      const kind2 = unit.type === 'word' ? INTERVAL_UNITS[unit.upper] : undefined;
      if (kind2 && /^\s*-?\d+(\.\d+)?\s*$/.test(t.value)) {
        this.idx += 2;
        const v = t.value.trim();
        return fn('toInterval' + kind2, [numberLiteral(v.replace(/^-/, ''), v.startsWith('-'), t.start)], pos);
      }
    }
    const depth = this.depth;
    try {
      const value = this.parseExprWithAlias(false);
      const u = this.peek();
      const kind = u.type === 'word' ? INTERVAL_UNITS[u.upper] : undefined;
      if (kind) {
        this.advance();
        return fn('toInterval' + kind, [value], pos);
      }
      this.noteExpected('interval unit');
    } catch (e) {
      if ((e as { code?: number }).code !== 62) throw e;
    }
    this.depth = depth;
    this.rewind(start);
    return undefined;
  }

  // ------------------------------------------------------------ punctuation

  private parseOpPrimary(t: Token): Expr {
    switch (t.value) {
      case '(':
        return this.parseParenthesized();
      case '[': {
        this.advance();
        const items = this.parseNestedList(']');
        return { ...fn('array', items, t.start), bracketSyntax: true };
      }
      case '*': {
        this.advance();
        return this.parseAsteriskTransformers({ kind: 'asterisk', pos: t.start });
      }
      case '{':
        return this.parseQueryParameter();
      case '@@': {
        // MySQL's `@@version`, `@@session.sql_mode` → globalVariable('version'), as ClickHouse.
        this.advance();
        let name = this.ident();
        if ((name.toUpperCase() === 'SESSION' || name.toUpperCase() === 'GLOBAL') && this.acceptOp('.')) name = this.ident();
        return fn('globalVariable', [lit(name)], t.start);
      }
    }
    this.fail('expression');
  }

  private parseParenthesized(): Expr {
    const pos = this.offset;
    if (this.isQueryStart(1)) {
      // `(SELECT …)`, or `((SELECT 1) UNION ALL (SELECT 2))`; `((SELECT 1) + 1)` falls back to an expression.
      const m = this.mark();
      const depth = this.depth;
      const nested = this.isOp('(', 1);
      try {
        this.advance();
        this.enter();
        const query = this.parseQuery();
        this.leave();
        this.expectOp(')');
        return { kind: 'subquery', query, pos };
      } catch (e) {
        if (!nested || (e as { code?: number }).code !== 62) throw e;
        this.rewind(m);
        this.depth = depth;
      }
    }
    this.advance();
    if (this.acceptOp(')')) return fn('tuple', [], pos);
    const items = this.parseNestedList(')');
    if (items.length === 1 && !this.lastListHadTrailingComma) return items[0]!;
    return fn('tuple', items, pos);
  }

  /** `{name:Type}` */
  private parseQueryParameter(): Expr {
    const pos = this.advance().start;
    const name = this.ident();
    this.expectOp(':');
    const type = this.parseTypeAst();
    this.expectOp('}');
    return { kind: 'param', name, type, pos };
  }

  /** `* EXCEPT (a, b)`, `* EXCEPT a` */
  private parseAsteriskTransformers(a: AsteriskExpr): AsteriskExpr {
    if (this.isKw('EXCEPT') && !this.isQueryStart(1)) {
      const n = this.peek(1);
      if (n.type === 'word' || n.type === 'quoted' || (n.type === 'op' && n.value === '(')) {
        this.advance();
        const names: string[] = [];
        if (this.acceptOp('(')) {
          do names.push(this.identOrString());
          while (this.acceptOp(','));
          this.expectOp(')');
        } else names.push(this.ident());
        a.except = names;
      }
    }
    return a;
  }

  /** `COLUMNS('regexp')` or `t.COLUMNS('regexp')`; `COLUMNS(a, b)` names columns. */
  private parseColumnsMatcher(qualifier: string[] | undefined): Expr {
    const pos = this.advance().start;
    this.expectOp('(');
    const a: AsteriskExpr = { kind: 'asterisk', pos };
    if (qualifier) a.qualifier = qualifier;
    if (this.peek().type === 'string') {
      a.columnsRegexp = this.stringLit();
    } else {
      const names: string[] = [];
      do names.push(this.ident());
      while (this.acceptOp(','));
      a.columnsList = names;
    }
    this.expectOp(')');
    return this.parseAsteriskTransformers(a);
  }

}
