import type { Expr, FunctionExpr, OrderItem, Query, TypeAst, WindowFrameBound, WindowSpec } from './ast.js';
import { fn, lit } from './ast-util.js';
import { parseTypeAt } from '../types/type-parser.js';
import { formatType } from './quote.js';
import { ParserBase } from './parser-base.js';
import { DbError, syntaxError } from '../errors/index.js';
import { parseSpecialFunction } from './parse-special-functions.js';

/**
 * Function calls (arguments, parametric aggregates, DISTINCT, FILTER, OVER), window specifications,
 * ORDER BY items, bracketed lists and types: the parts of expressions that only need a full expression
 * parser underneath them, which the subclasses provide.
 */
export abstract class CallParser extends ParserBase {
  /** Set while parsing the middle of `c ? a : b`, where `:` ends the branch instead of meaning a JSON path. */
  protected inTernaryThen = false;

  abstract parseExpr(): Expr;
  /** An expression with an optional `AS alias` (or a bare alias when `implicitAlias`). */
  abstract parseExprWithAlias(implicitAlias: boolean): Expr;
  abstract parseQuery(): Query;

  /** The next tokens start a query (`SELECT`, `WITH`, `(SELECT`, …). */
  isQueryStart(k = 0): boolean {
    while (this.isOp('(', k)) k++;
    const t = this.peek(k);
    return t.type === 'word' && (t.upper === 'SELECT' || t.upper === 'WITH' || t.upper === 'EXPLAIN');
  }

  /** A type at the current position, read by the shared type grammar; returns its canonical text. */
  parseTypeText(): string {
    return formatType(this.parseTypeAst());
  }

  /**
   * A type read by the shared type grammar from the text; the tokens it covered are replaced by one 'type'
   * token so that backtracking over it sees the same token stream.
   */
  parseTypeAst(): TypeAst {
    const t = this.peek();
    if (t.type === 'type') {
      this.advance();
      return t.typeAst!;
    }
    const start = t.start;
    if (t.type === 'eof' || (t.type !== 'word' && t.type !== 'quoted')) this.fail('type');
    let parsed: { type: TypeAst; end: number };
    try {
      parsed = parseTypeAt(this.sql, start);
    } catch (e) {
      // Re-report the type grammar's error at its position in this statement.
      const m = e instanceof DbError ? /^Cannot parse type '[\s\S]*': ([\s\S]*) at position (\d+)$/.exec(e.message) : null;
      if (!m) throw e;
      throw syntaxError(`Invalid type: ${m[1]}`, this.sql, Math.max(start, Number(m[2]) - 1));
    }
    const { type, end } = parsed;
    this.spliceToken({ type: 'type', start, end, value: this.sql.slice(start, end), upper: '', typeAst: type });
    return type;
  }

  protected lastListHadTrailingComma = false;

  /** Comma-separated expressions (aliases allowed with AS) up to `close`, which is consumed. */
  parseNestedList(close: string): Expr[] {
    this.enter();
    const saved = this.inTernaryThen;
    this.inTernaryThen = false;
    const items: Expr[] = [];
    this.lastListHadTrailingComma = false;
    if (!this.acceptOp(close)) {
      for (;;) {
        items.push(this.parseExprWithAlias(false));
        if (this.acceptOp(',')) {
          if (this.acceptOp(close)) {
            this.lastListHadTrailingComma = true;
            break;
          }
          continue;
        }
        this.expectOp(close);
        break;
      }
    }
    this.inTernaryThen = saved;
    this.leave();
    return items;
  }

  // ------------------------------------------------------------ function calls

  /** `name(args)`, `name(params)(args)`, `name(DISTINCT x)`, `… FILTER (WHERE c)`, `… OVER (…)`. */
  parseFunctionCall(name: string, pos: number, tableFunction = false): FunctionExpr {
    this.enter();
    this.expectOp('(');
    const saved = this.inTernaryThen;
    this.inTernaryThen = false;
    const special = parseSpecialFunction(this, name, pos);
    if (special) {
      this.inTernaryThen = saved;
      this.leave();
      return special;
    }
    let distinct = false;
    const afterParen = this.mark();
    if (this.acceptKw('DISTINCT') || this.acceptKw('ALL')) {
      distinct = this.tokens[this.idx - 1]!.upper === 'DISTINCT';
      if (this.isOp(',') || this.isOp(')')) {
        this.rewind(afterParen);
        distinct = false;
      }
    }
    let args = this.parseArguments(tableFunction && name === 'session');
    let f: FunctionExpr = fn(name, args, pos);
    if (distinct) f.distinct = true;
    if (this.isOp('(')) {
      // Parametric aggregate: quantile(0.9)(x)
      this.advance();
      f.params = args;
      distinct = false;
      const m = this.mark();
      if (this.acceptKw('DISTINCT')) {
        if (this.isOp(',') || this.isOp(')')) this.rewind(m);
        else distinct = true;
      }
      args = this.parseArguments(false);
      f.args = args;
      if (distinct) f.distinct = true;
    }
    if (this.isKw('FILTER') && this.isOp('(', 1) && this.isKw('WHERE', 2)) {
      this.idx += 3;
      const cond = this.parseExpr();
      this.expectOp(')');
      f = { ...f, name: f.name + 'If', args: [...f.args, cond] };
    }
    if ((this.isKw('RESPECT') || this.isKw('IGNORE')) && this.isKw('NULLS', 1)) {
      // As ClickHouse: `f(x) RESPECT NULLS` → f_respect_nulls(x); IGNORE NULLS is what aggregates do anyway.
      const respect = this.advance().upper === 'RESPECT';
      this.advance();
      if (respect) f.name += '_respect_nulls';
    }
    if (this.acceptKw('OVER')) f.over = this.parseWindowReference();
    this.inTernaryThen = saved;
    this.leave();
    return f;
  }

  /** Arguments after `(` up to and including `)`. Bare `SELECT …` arguments become subqueries. */
  parseArguments(sessionRanges: boolean): Expr[] {
    const args: Expr[] = [];
    if (this.acceptOp(')')) return args;
    for (;;) {
      if (this.isKw('SELECT') || (this.isKw('WITH') && !this.isOp('(', 1))) {
        const pos = this.offset;
        args.push({ kind: 'subquery', query: this.parseQuery(), pos });
      } else if (sessionRanges && (this.isOp('[') || this.isOp('('))) {
        args.push(this.parseSessionRangeOrExpr());
      } else {
        args.push(this.parseExprWithAlias(false));
      }
      if (this.acceptOp(',')) continue;
      this.expectOp(')');
      return args;
    }
  }

  /**
   * Proton's session window range `[start_cond, end_cond)` (any of `[`/`(` and `]`/`)`), represented as
   * `__sessionRange(start, end, startInclusive, endInclusive)`; anything else is an ordinary expression.
   */
  private parseSessionRangeOrExpr(): Expr {
    const m = this.mark();
    const depth = this.depth;
    const open = this.advance();
    try {
      const a = this.parseExpr();
      if (this.acceptOp(',')) {
        const b = this.parseExpr();
        const close = this.peek();
        if (close.type === 'op' && (close.value === ']' || close.value === ')')) {
          this.advance();
          return fn('__sessionRange', [a, b, lit(open.value === '['), lit(close.value === ']')], open.start);
        }
      }
    } catch (e) {
      if ((e as { code?: number }).code !== 62) throw e;
    }
    this.rewind(m);
    this.depth = depth;
    return this.parseExprWithAlias(false);
  }

  // ------------------------------------------------------------ windows and ordering

  private parseWindowReference(): WindowSpec {
    if (!this.isOp('(')) return { baseName: this.ident(), partitionBy: [], orderBy: [] };
    return this.parseWindowSpec();
  }

  /** `( [base] [PARTITION BY …] [ORDER BY …] [ROWS|RANGE …] )` */
  parseWindowSpec(): WindowSpec {
    this.expectOp('(');
    const spec: WindowSpec = { partitionBy: [], orderBy: [] };
    const t = this.peek();
    if ((t.type === 'word' || t.type === 'quoted') && !['PARTITION', 'ORDER', 'ROWS', 'RANGE'].includes(t.upper)) {
      spec.baseName = this.ident();
    }
    if (this.acceptKws('PARTITION', 'BY')) {
      do spec.partitionBy.push(this.parseExprWithAlias(false));
      while (this.acceptOp(','));
    }
    if (this.acceptKws('ORDER', 'BY')) spec.orderBy = this.parseOrderList();
    const frameType = this.acceptAnyKw(['ROWS', 'RANGE']);
    if (frameType) {
      let start: WindowFrameBound;
      let end: WindowFrameBound = { kind: 'current_row' };
      if (this.acceptKw('BETWEEN')) {
        start = this.parseFrameBound();
        this.expectKw('AND');
        end = this.parseFrameBound();
      } else start = this.parseFrameBound();
      spec.frame = { type: frameType as 'ROWS' | 'RANGE', start, end };
    }
    this.expectOp(')');
    return spec;
  }

  private parseFrameBound(): WindowFrameBound {
    if (this.acceptKws('CURRENT', 'ROW')) return { kind: 'current_row' };
    if (this.acceptKw('UNBOUNDED')) {
      if (this.acceptKw('PRECEDING')) return { kind: 'unbounded_preceding' };
      this.expectKw('FOLLOWING');
      return { kind: 'unbounded_following' };
    }
    const offset = this.parseExpr();
    if (this.acceptKw('PRECEDING')) return { kind: 'preceding', offset };
    this.expectKw('FOLLOWING');
    return { kind: 'following', offset };
  }

  parseOrderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do items.push(this.parseOrderItem());
    while (this.acceptOp(','));
    return items;
  }

  parseOrderItem(): OrderItem {
    const item: OrderItem = { expr: this.parseExprWithAlias(false), direction: 'ASC' };
    const dir = this.acceptAnyKw(['ASC', 'DESC', 'ASCENDING', 'DESCENDING']);
    if (dir === 'DESC' || dir === 'DESCENDING') item.direction = 'DESC';
    if (this.acceptKw('NULLS')) {
      const n = this.acceptAnyKw(['FIRST', 'LAST']);
      if (!n) this.fail();
      item.nulls = n as 'FIRST' | 'LAST';
    }
    if (this.acceptKw('COLLATE')) item.collate = this.stringLit();
    if (this.acceptKws('WITH', 'FILL')) {
      const fill: NonNullable<OrderItem['withFill']> = {};
      if (this.acceptKw('FROM')) fill.from = this.parseExpr();
      if (this.acceptKw('TO')) fill.to = this.parseExpr();
      if (this.acceptKw('STEP')) fill.step = this.parseExpr();
      item.withFill = fill;
    }
    return item;
  }
}
