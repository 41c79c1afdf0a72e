import type { EmitClause, Expr, LiteralValue, Query, SelectQuery, SetOperationQuery, SettingsMap, WithItem } from './ast.js';
import { FromParser } from './parse-from.js';
import { numberLiteral } from './ast-util.js';
import { DbError } from '../errors/index.js';

type SetOp = SetOperationQuery['op'];

/**
 * SELECT and set operations. INTERSECT binds tighter than UNION and EXCEPT, which associate to the left;
 * a bare UNION is UNION ALL (Proton's union_default_mode) marked `implicitMode`.
 * Proton's clauses are here too: `PARTITION BY` / `SHUFFLE BY` (substreams) and `EMIT …`.
 */
export abstract class SelectParser extends FromParser {
  parseQuery(): Query {
    this.enter();
    let left = this.parseIntersectChain();
    for (;;) {
      let op: SetOp;
      let implicitMode = false;
      if (this.acceptKw('UNION')) {
        if (this.acceptKw('ALL')) op = 'UNION ALL';
        else if (this.acceptKw('DISTINCT')) op = 'UNION DISTINCT';
        else {
          op = 'UNION ALL';
          implicitMode = true;
        }
      } else if (this.isKw('EXCEPT') && this.isSetOperand(1)) {
        this.advance();
        op = this.acceptKw('DISTINCT') ? 'EXCEPT DISTINCT' : (this.acceptKw('ALL'), 'EXCEPT');
      } else break;
      const right = this.parseIntersectChain();
      left = { kind: 'set_operation', op, left, right };
      if (implicitMode) left.implicitMode = true;
    }
    this.leave();
    return left;
  }

  private isSetOperand(k: number): boolean {
    if (this.isKw('ALL', k) || this.isKw('DISTINCT', k)) k++;
    return this.isQueryStart(k);
  }

  private parseIntersectChain(): Query {
    let left = this.parseSetOperand();
    while (this.isKw('INTERSECT')) {
      this.advance();
      const op: SetOp = this.acceptKw('DISTINCT') ? 'INTERSECT DISTINCT' : (this.acceptKw('ALL'), 'INTERSECT');
      left = { kind: 'set_operation', op, left, right: this.parseSetOperand() };
    }
    return left;
  }

  private parseSetOperand(): Query {
    if (this.isOp('(')) {
      this.advance();
      const q = this.parseQuery();
      this.expectOp(')');
      return q;
    }
    return this.parseSelect();
  }

  parseSelect(): SelectQuery {
    const pos = this.offset;
    let withItems: WithItem[] | undefined;
    if (this.acceptKw('WITH')) {
      if (this.isKw('RECURSIVE')) this.error('WITH RECURSIVE is not supported');
      withItems = [];
      do withItems.push(this.parseWithItem());
      while (this.acceptOp(','));
    }
    this.expectKw('SELECT');
    const q: SelectQuery = { kind: 'select', columns: [], pos };
    if (withItems) q.with = withItems;
    if (this.acceptKws('DISTINCT', 'ON')) {
      this.expectOp('(');
      q.distinctOn = this.parseExprList();
      this.expectOp(')');
    } else if (this.acceptKw('DISTINCT')) q.distinct = true;
    else this.acceptKw('ALL');
    if (this.acceptKw('TOP')) {
      if (this.acceptOp('(')) {
        q.top = this.parseExpr();
        this.expectOp(')');
      } else {
        const t = this.peek();
        if (t.type !== 'number') this.fail('number');
        this.advance();
        q.top = numberLiteral(t.value, false, t.start);
      }
      if (this.acceptKws('WITH', 'TIES')) q.withTies = true;
    }
    q.columns = this.parseExprList(true);
    if (this.acceptKw('FROM')) q.from = this.parseFrom();
    else {
      const aj = this.tryParseArrayJoin(undefined);
      if (aj) {
        let from = aj;
        for (;;) {
          const next = this.tryParseArrayJoin(from);
          if (!next) break;
          from = next;
        }
        q.from = from;
      }
    }
    if (this.acceptKw('PREWHERE')) q.prewhere = this.parseExprWithAlias(false);
    if (this.acceptKw('WHERE')) q.where = this.parseExprWithAlias(false);
    if (this.acceptKws('PARTITION', 'BY')) q.partitionBy = this.parseExprList();
    if (this.acceptKws('SHUFFLE', 'BY')) q.shuffleBy = this.parseExprList();
    if (this.acceptKws('GROUP', 'BY')) this.parseGroupBy(q);
    this.parseGroupByModifiers(q);
    if (this.acceptKw('HAVING')) q.having = this.parseExprWithAlias(false);
    if (this.acceptKw('WINDOW')) {
      q.windows = [];
      do {
        const name = this.ident();
        this.expectKw('AS');
        q.windows.push({ name, spec: this.parseWindowSpec() });
      } while (this.acceptOp(','));
    }
    if (this.acceptKw('QUALIFY')) q.qualify = this.parseExprWithAlias(false);
    if (this.isKw('EMIT')) q.emit = this.parseEmit();
    if (this.acceptKws('ORDER', 'BY')) q.orderBy = this.parseOrderList();
    this.parseLimits(q);
    if (!q.emit && this.isKw('EMIT')) {
      q.emit = this.parseEmit();
      if (q.limit === undefined) this.parseLimits(q);
    }
    if (this.acceptKw('SETTINGS')) q.settings = this.parseSettingsList();
    return q;
  }

  private parseWithItem(): WithItem {
    const t = this.peek();
    if ((t.type === 'word' || t.type === 'quoted') && this.isKw('AS', 1) && this.isOp('(', 2)) {
      if (this.isQueryStart(3)) {
        this.idx += 3;
        const query = this.parseQuery();
        this.expectOp(')');
        return { name: t.value, query };
      }
      this.idx += 2;
      return { name: t.value, expr: this.parseExpr() };
    }
    const expr = this.parseExpr();
    this.expectKw('AS');
    const name = this.ident();
    return { name, expr };
  }

  private parseGroupBy(q: SelectQuery): void {
    if (this.isKw('ALL') && !this.isOp('(', 1)) {
      this.advance();
      q.groupByAll = true;
      return;
    }
    const mod = this.isOp('(', 1) ? this.acceptAnyKw(['ROLLUP', 'CUBE']) : undefined;
    if (mod) {
      q.groupByModifier = mod as 'ROLLUP' | 'CUBE';
      this.expectOp('(');
      q.groupBy = this.parseExprList();
      this.expectOp(')');
      return;
    }
    if (this.acceptKws('GROUPING', 'SETS')) {
      q.groupByModifier = 'GROUPING SETS';
      this.expectOp('(');
      const sets: Expr[][] = [];
      do {
        if (this.acceptOp('(')) sets.push(this.parseNestedList(')'));
        else sets.push([this.parseExprWithAlias(false)]);
      } while (this.acceptOp(','));
      this.expectOp(')');
      q.groupingSets = sets;
      q.groupBy = [];
      return;
    }
    q.groupBy = this.parseExprList();
  }

  private parseGroupByModifiers(q: SelectQuery): void {
    while (this.isKw('WITH')) {
      const m = this.peek(1);
      if (m.type !== 'word') return;
      if (m.upper === 'TOTALS') q.withTotals = true;
      else if (m.upper === 'ROLLUP' || m.upper === 'CUBE') {
        if (q.groupByModifier) throw new DbError('NOT_IMPLEMENTED', `WITH ${m.upper} cannot be combined with ${q.groupByModifier}`);
        q.groupByModifier = m.upper;
      } else return;
      this.idx += 2;
    }
  }

  private parseLimits(q: SelectQuery): void {
    while (this.isKw('LIMIT')) {
      this.advance();
      let limit = this.parseExprWithAlias(false);
      let offset: Expr | undefined;
      if (this.acceptOp(',')) {
        offset = limit;
        limit = this.parseExprWithAlias(false);
      } else if (this.acceptKw('OFFSET')) {
        offset = this.parseExprWithAlias(false);
      }
      if (this.acceptKw('BY')) {
        if (q.limitBy) this.error('LIMIT BY is given twice');
        q.limitBy = { limit, by: this.parseExprList() };
        if (offset) q.limitBy.offset = offset;
        continue;
      }
      if (q.limit !== undefined) this.error('LIMIT is given twice');
      q.limit = limit;
      if (offset) q.offset = offset;
      if (this.acceptKws('WITH', 'TIES')) q.withTies = true;
    }
    if (q.limit === undefined && this.acceptKw('OFFSET')) {
      q.offset = this.parseExprWithAlias(false);
      this.acceptAnyKw(['ROW', 'ROWS']);
      if (this.acceptKw('FETCH')) {
        if (!this.acceptAnyKw(['FIRST', 'NEXT'])) this.fail();
        q.limit = this.parseOperand();
        if (!this.acceptAnyKw(['ROW', 'ROWS'])) this.fail();
        if (this.acceptKws('WITH', 'TIES')) q.withTies = true;
        else this.expectKw('ONLY');
      }
    }
  }

  /** `EMIT [STREAM|CHANGELOG] [AFTER WATERMARK [WITH DELAY i]] [PERIODIC i] [ON UPDATE] [AND TIMEOUT i] [AND LAST i [ON PROCTIME]]` in any order. */
  parseEmit(): EmitClause {
    this.expectKw('EMIT');
    const emit: EmitClause = {};
    if (this.acceptKw('STREAM')) emit.stream = true;
    else if (this.acceptKw('CHANGELOG')) emit.changelog = true;
    let any = emit.stream === true || emit.changelog === true;
    for (;;) {
      const m = this.mark();
      const and = any && this.acceptKw('AND');
      if (this.acceptKws('AFTER', 'WATERMARK')) {
        emit.afterWatermark = true;
        if (this.acceptKws('WITH', 'DELAY')) emit.delay = this.parseOperand();
      } else if (this.acceptKw('PERIODIC')) {
        emit.periodic = this.parseOperand();
      } else if (this.acceptKws('ON', 'UPDATE')) {
        emit.onUpdate = true;
      } else if (this.acceptKw('TIMEOUT')) {
        emit.timeout = this.parseOperand();
      } else if (this.acceptKw('LAST')) {
        emit.last = this.parseOperand();
        if (this.acceptKws('ON', 'PROCTIME')) emit.onProctime = true;
      } else {
        if (and) this.fail();
        this.rewind(m);
        break;
      }
      any = true;
    }
    if (!any) this.fail();
    return emit;
  }

  /** `name = value, …` as in SET and SETTINGS; `endsAt` says when a comma ends the list instead (ALTER). */
  parseSettingsList(endsAt?: () => boolean): SettingsMap {
    const out: SettingsMap = {};
    for (;;) {
      const name = this.ident();
      if (this.acceptOp('=')) out[name] = this.parseSettingValue();
      else out[name] = true;
      if (!this.isOp(',')) return out;
      this.advance();
      if (endsAt?.()) {
        this.rewind(this.mark() - 1);
        return out;
      }
    }
  }

  /** A literal setting value: numbers (also negative), strings, true/false, NULL, arrays; bare words as strings. */
  parseSettingValue(): LiteralValue {
    const t = this.peek();
    if (t.type === 'word' || t.type === 'quoted') {
      const u = t.upper;
      if (t.type === 'word' && (u === 'TRUE' || u === 'FALSE')) {
        this.advance();
        return u === 'TRUE';
      }
      if (t.type === 'word' && u === 'NULL') {
        this.advance();
        return null;
      }
      if (!this.isOp('(', 1) && !this.isOp('.', 1)) {
        this.advance();
        return t.value;
      }
    }
    const pos = this.offset;
    const e = this.parseOperand();
    const v = literalValueOf(e);
    if (v === undefined) this.error('Expected a literal setting value', pos);
    return v;
  }
}

/** The value of a constant expression made of literals, arrays, tuples and negation; undefined otherwise. */
export function literalValueOf(e: Expr): LiteralValue | undefined {
  if (e.kind === 'literal') return e.value;
  if (e.kind === 'function' && (e.name === 'array' || e.name === 'tuple')) {
    const out: LiteralValue[] = [];
    for (const a of e.args) {
      const v = literalValueOf(a);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (e.kind === 'function' && e.name === 'negate' && e.args.length === 1) {
    const v = literalValueOf(e.args[0]!);
    if (typeof v === 'number') return -v;
    if (typeof v === 'bigint') return -v;
  }
  return undefined;
}
