import type { Expr } from './ast.js';
import { fn, intervalShorthand, lit, numberLiteral } from './ast-util.js';
import { PrimaryParser } from './parse-primary.js';
import { MAX_DEPTH } from './parser-base.js';
import { DbError } from '../errors/index.js';

/** Binding strength of ClickHouse's operators, loosest first. */
const enum Level {
  Lambda = 1,
  Ternary = 2,
  Or = 3,
  And = 4,
  Not = 5,
  IsNull = 6,
  Comparison = 7,
  Between = 8,
  Concat = 9,
  Additive = 10,
  Multiplicative = 11,
  Unary = 12,
}

const COMPARISON_OPS: Readonly<Record<string, string>> = {
  '=': 'equals',
  '==': 'equals',
  '!=': 'notEquals',
  '<>': 'notEquals',
  '<': 'less',
  '>': 'greater',
  '<=': 'lessOrEquals',
  '>=': 'greaterOrEquals',
  '<=>': 'isNotDistinctFrom',
};

/** Postgres' regular-expression operators (clients such as psql send them in catalog queries). */
const REGEX_OPS: Readonly<Record<string, { negated: boolean; insensitive: boolean }>> = {
  '~': { negated: false, insensitive: false },
  '~*': { negated: false, insensitive: true },
  '!~': { negated: true, insensitive: false },
  '!~*': { negated: true, insensitive: true },
};

const MULTIPLICATIVE_OPS: Readonly<Record<string, string>> = { '*': 'multiply', '/': 'divide', '%': 'modulo' };

/**
 * Words that end an expression instead of becoming its implicit alias (`SELECT a b` aliases a as b, but
 * `SELECT a FROM t` does not alias a as FROM).
 */
export const NOT_AN_ALIAS = new Set([
  'FROM', 'WHERE', 'PREWHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'SETTINGS', 'FORMAT', 'UNION', 'EXCEPT',
  'INTERSECT', 'INTO', 'WINDOW', 'QUALIFY', 'EMIT', 'PARTITION', 'SHUFFLE', 'AS', 'ARRAY', 'LEFT', 'RIGHT', 'INNER',
  'OUTER', 'FULL', 'CROSS', 'JOIN', 'GLOBAL', 'ANY', 'ALL', 'ASOF', 'SEMI', 'ANTI', 'PASTE', 'LATEST', 'FINAL', 'SAMPLE',
  'ON', 'USING', 'AND', 'OR', 'NOT', 'IS', 'IN', 'LIKE', 'ILIKE', 'BETWEEN', 'ASC', 'DESC', 'ASCENDING', 'DESCENDING',
  'NULLS', 'COLLATE', 'WITH', 'THEN', 'ELSE', 'END', 'WHEN', 'BY', 'FETCH', 'TOTALS', 'DIV', 'MOD', 'FILTER', 'OVER',
  'TTL', 'PRIMARY', 'ENGINE', 'DEFAULT', 'MATERIALIZED', 'ALIAS', 'EPHEMERAL', 'CODEC', 'COMMENT', 'VALUES', 'SELECT',
  'REGEXP', 'TO', 'STEP', 'POPULATE', 'INDEX', 'CONSTRAINT', 'PROJECTION', 'AFTER', 'FIRST', 'NULL', 'DELETE', 'WATCH',
  'RECOMPRESS', 'TOP', 'CLUSTER', 'PERIODIC',
]);

/**
 * Operators by precedence climbing (one loop per call, so nesting costs few stack frames), producing
 * ClickHouse's function names: `a + b` → plus(a, b), `a AND b AND c` → and(a, b, c),
 * `x BETWEEN a AND b` → and(greaterOrEquals(x, a), lessOrEquals(x, b)), `c ? a : b` → if(c, a, b),
 * `-1` → the literal -1, `x -> x + 1` → a lambda.
 */
export abstract class ExpressionParser extends PrimaryParser {
  parseExpr(): Expr {
    return this.parseExprLevel(Level.Lambda);
  }

  /** An operand that stops before comparisons, AND and OR (for clauses such as `EMIT PERIODIC 1s AND …`). */
  parseOperand(): Expr {
    return this.parseExprLevel(Level.Concat);
  }

  parseExprWithAlias(implicitAlias: boolean): Expr {
    const e = this.parseExpr();
    return this.parseAlias(e, implicitAlias);
  }

  parseAlias<T extends { alias?: string }>(e: T, implicitAlias: boolean): T {
    if (this.acceptKw('AS')) {
      e.alias = this.ident();
      return e;
    }
    if (implicitAlias) {
      const t = this.peek();
      if (t.type === 'quoted' || (t.type === 'word' && !NOT_AN_ALIAS.has(t.upper) && !intervalShorthand(t.value))) {
        this.advance();
        e.alias = t.value;
      }
    }
    return e;
  }

  /** Comma-separated expressions with optional aliases. */
  parseExprList(implicitAlias = false): Expr[] {
    const out: Expr[] = [];
    do out.push(this.parseExprWithAlias(implicitAlias));
    while (this.acceptOp(','));
    return out;
  }

  parseExprLevel(min: number): Expr {
    this.enter();
    let left = this.parsePrefix(min);
    // Left-associative chains (`a + b + c …`) build trees as deep as they are long.
    let chain = this.depth;
    for (;;) {
      if (++chain > MAX_DEPTH) throw new DbError('TOO_DEEP_AST', `AST is too deep. Maximum: ${MAX_DEPTH}`);
      const t = this.peek();
      if (t.type === 'op') {
        const op = t.value;
        if (op === '?') {
          if (min > Level.Ternary) break;
          this.advance();
          const saved = this.inTernaryThen;
          this.inTernaryThen = true;
          const then = this.parseExprLevel(Level.Ternary);
          this.inTernaryThen = saved;
          this.expectOp(':');
          const otherwise = this.parseExprLevel(Level.Ternary);
          left = fn('if', [left, then, otherwise], t.start);
          continue;
        }
        const regex = REGEX_OPS[op];
        if (regex !== undefined) {
          // Postgres' `~` family: `a ~ re` → match(a, re), `~*` case-insensitive, `!~` negated.
          if (min > Level.Comparison) break;
          this.advance();
          let pattern = this.parseExprLevel(Level.Between);
          if (regex.insensitive) pattern = fn('concat', [lit('(?i)', t.start), pattern], t.start);
          left = fn('match', [left, pattern], t.start);
          if (regex.negated) left = fn('not', [left], t.start);
          continue;
        }
        const cmp = COMPARISON_OPS[op];
        if (cmp !== undefined) {
          if (min > Level.Comparison) break;
          this.advance();
          if ((this.isKw('ANY') || this.isKw('ALL')) && this.isOp('(', 1) && this.isQueryStart(2)) {
            left = this.parseQuantifiedComparison(cmp, left, t.start);
            continue;
          }
          left = fn(cmp, [left, this.parseExprLevel(Level.Between)], t.start);
          continue;
        }
        if (op === '||') {
          if (min > Level.Concat) break;
          const args = [left];
          while (this.acceptOp('||')) args.push(this.parseExprLevel(Level.Additive));
          left = fn('concat', args, t.start);
          continue;
        }
        if (op === '+' || op === '-') {
          if (min > Level.Additive) break;
          this.advance();
          left = fn(op === '+' ? 'plus' : 'minus', [left, this.parseExprLevel(Level.Multiplicative)], t.start);
          continue;
        }
        const mul = MULTIPLICATIVE_OPS[op];
        if (mul !== undefined) {
          if (min > Level.Multiplicative) break;
          this.advance();
          left = fn(mul, [left, this.parseExprLevel(Level.Unary)], t.start);
          continue;
        }
        break;
      }
      if (t.type !== 'word') break;
      const w = t.upper;
      if (w === 'DIV' || w === 'MOD') {
        if (min > Level.Multiplicative) break;
        this.advance();
        left = fn(w === 'DIV' ? 'intDiv' : 'modulo', [left, this.parseExprLevel(Level.Unary)], t.start);
        continue;
      }
      if (w === 'OR' || w === 'AND') {
        const level = w === 'OR' ? Level.Or : Level.And;
        if (min > level) break;
        const args = [left];
        while (this.acceptKw(w)) args.push(this.parseExprLevel(level + 1));
        left = fn(w === 'OR' ? 'or' : 'and', args, t.start);
        continue;
      }
      if (w === 'IS') {
        if (min > Level.IsNull) break;
        const not = this.isKw('NOT', 1);
        if (this.isKw('NULL', not ? 2 : 1)) {
          this.idx += not ? 3 : 2;
          left = fn(not ? 'isNotNull' : 'isNull', [left], t.start);
          continue;
        }
        if (this.isKw('DISTINCT', not ? 2 : 1) && this.isKw('FROM', not ? 3 : 2)) {
          this.idx += not ? 4 : 3;
          left = fn(not ? 'isNotDistinctFrom' : 'isDistinctFrom', [left, this.parseExprLevel(Level.Between)], t.start);
          continue;
        }
        this.advance();
        this.fail('NULL');
      }
      const negated = w === 'NOT';
      const global = w === 'GLOBAL';
      let k = negated || global ? 1 : 0;
      const notAfterGlobal = global && this.isKw('NOT', 1);
      if (notAfterGlobal) k++;
      const opWord = this.peek(k);
      if (opWord.type !== 'word') break;
      const ow = opWord.upper;
      if (ow === 'BETWEEN' && !global) {
        if (min > Level.Between) break;
        this.idx += k + 1;
        const lo = this.parseExprLevel(Level.Concat);
        this.expectKw('AND');
        const hi = this.parseExprLevel(Level.Concat);
        left = negated
          ? fn('or', [fn('less', [left, lo]), fn('greater', [left, hi])], t.start)
          : fn('and', [fn('greaterOrEquals', [left, lo]), fn('lessOrEquals', [left, hi])], t.start);
        continue;
      }
      let name: string | undefined;
      if (ow === 'IN') name = global ? (notAfterGlobal ? 'globalNotIn' : 'globalIn') : negated ? 'notIn' : 'in';
      else if (!global && ow === 'LIKE') name = negated ? 'notLike' : 'like';
      else if (!global && ow === 'ILIKE') name = negated ? 'notILike' : 'ilike';
      else if (!global && !negated && ow === 'REGEXP') name = 'match';
      if (name === undefined || min > Level.Comparison) break;
      this.idx += k + 1;
      left = fn(name, [left, this.parseExprLevel(Level.Between)], t.start);
    }
    this.leave();
    return left;
  }

  /**
   * `x op ANY|ALL (subquery)`, rewritten as ClickHouse does: `= ANY` → IN, `!= ALL` → NOT IN,
   * `= ALL` / `!= ANY` → [NOT] IN (SELECT singleValueOrNull(*) FROM …), `> ANY` → x > (SELECT min(*) FROM …), ….
   */
  private parseQuantifiedComparison(cmp: string, left: Expr, pos: number): Expr {
    const any = this.advance().upper === 'ANY';
    const sub = this.parsePrimary();
    if (sub.kind !== 'subquery') this.error('Expected a subquery after ANY/ALL', pos);
    const wrap = (agg: string): Expr => ({
      kind: 'subquery',
      query: { kind: 'select', columns: [fn(agg, [{ kind: 'asterisk' }])], from: { kind: 'subquery', query: sub.query } },
    });
    switch (cmp) {
      case 'equals':
        return fn('in', [left, any ? sub : wrap('singleValueOrNull')], pos);
      case 'notEquals':
        return fn('notIn', [left, any ? wrap('singleValueOrNull') : sub], pos);
      case 'greater':
      case 'greaterOrEquals':
        return fn(cmp, [left, wrap(any ? 'min' : 'max')], pos);
      case 'less':
      case 'lessOrEquals':
        return fn(cmp, [left, wrap(any ? 'max' : 'min')], pos);
    }
    this.error(`ANY/ALL cannot follow ${cmp}`, pos);
  }

  private parsePrefix(min: number): Expr {
    const t = this.peek();
    if (t.type === 'quoted' && min <= Level.Lambda && this.isOp('->', 1)) return this.parseLambda();
    if (t.type === 'word') {
      if (t.upper === 'NOT' && !this.isNotAsIdentifier()) {
        this.advance();
        let operand: Expr;
        if (min <= Level.Not) operand = this.parseExprLevel(Level.IsNull);
        else operand = this.parseExprLevel(Level.Unary);
        return fn('not', [operand], t.start);
      }
      if (min <= Level.Lambda && this.isOp('->', 1)) return this.parseLambda();
    } else if (t.type === 'op') {
      if (t.value === '-') {
        const n = this.peek(1);
        if (n.type === 'number') {
          this.idx += 2;
          return this.parsePostfix(numberLiteral(n.value, true, t.start));
        }
        if (n.type === 'word') {
          const iv = intervalShorthand(n.value);
          if (iv) {
            this.idx += 2;
            return fn('toInterval' + iv.kind, [numberLiteral(iv.value, true, n.start)], t.start);
          }
          if (n.upper === 'INF' || n.upper === 'INFINITY' || n.upper === 'NAN') {
            if (!this.isOp('(', 2)) {
              this.idx += 2;
              return this.parsePostfix({ kind: 'literal', value: n.upper === 'NAN' ? NaN : -Infinity, text: '-' + n.value.toLowerCase(), pos: t.start });
            }
          }
        }
        this.advance();
        return fn('negate', [this.parseExprLevel(Level.Unary)], t.start);
      }
      if (t.value === '+' && this.peek(1).type === 'number') {
        this.advance();
        return this.parsePrimary();
      }
      if (t.value === '(' && min <= Level.Lambda && this.isLambdaParams()) return this.parseLambda();
    }
    return this.parsePrimary();
  }

  /** `not(x)` is the function; `NOT (x)` the operator; both give not(x). A lone `not` column is rare. */
  private isNotAsIdentifier(): boolean {
    const n = this.peek(1);
    if (n.type === 'eof') return true;
    if (n.type === 'op') return n.value === ',' || n.value === ')' || n.value === '.' || n.value === '=' || n.value === ';';
    return n.type === 'word' && (n.upper === 'FROM' || n.upper === 'AS');
  }

  /** `(a, b) ->` */
  private isLambdaParams(): boolean {
    if (this.isOp(')', 1)) return this.isOp('->', 2);
    let k = 1;
    for (;;) {
      const t = this.peek(k);
      if (t.type !== 'word' && t.type !== 'quoted') return false;
      k++;
      if (this.isOp(',', k)) {
        k++;
        continue;
      }
      return this.isOp(')', k) && this.isOp('->', k + 1);
    }
  }

  private parseLambda(): Expr {
    const pos = this.offset;
    const params: string[] = [];
    if (this.acceptOp('(')) {
      if (!this.acceptOp(')')) {
        do params.push(this.ident());
        while (this.acceptOp(','));
        this.expectOp(')');
      }
    } else params.push(this.ident());
    this.expectOp('->');
    const body = this.parseExprLevel(Level.Lambda);
    return { kind: 'lambda', params, body, pos };
  }
}
