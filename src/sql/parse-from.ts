import type { Expr, FromItem, JoinKind, JoinRef, JoinStrictness, QualifiedName, TableFunctionRef, TableRef } from './ast.js';
import { ExpressionParser } from './parse-expression.js';

const STRICTNESS: readonly string[] = ['ALL', 'ANY', 'ASOF', 'SEMI', 'ANTI', 'LATEST'];
const KINDS: readonly string[] = ['INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'PASTE'];

/**
 * The FROM clause: tables (`db.t [AS a] [FINAL] [SAMPLE k [OFFSET m]]`), table functions (`numbers(10)`,
 * Proton's `table(s)`, `tumble(s, 5s)`, `hop(…)`, `session(…)`, `dedup(…)`, `changelog(…)`), subqueries,
 * joins of every kind and strictness, comma joins and [LEFT] ARRAY JOIN.
 */
export abstract class FromParser extends ExpressionParser {
  /** `db.name` or `name` */
  parseQualifiedName(): QualifiedName {
    const first = this.ident();
    if (this.isOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'quoted')) {
      this.advance();
      return { database: first, name: this.ident() };
    }
    return { name: first };
  }

  parseFrom(): FromItem {
    let left = this.parseFromItem();
    for (;;) {
      if (this.acceptOp(',')) {
        const right = this.parseFromItem();
        left = { kind: 'join', left, right, joinKind: 'CROSS', comma: true };
        continue;
      }
      const arrayJoin = this.tryParseArrayJoin(left);
      if (arrayJoin) {
        left = arrayJoin;
        continue;
      }
      const join = this.tryParseJoin(left);
      if (!join) return left;
      left = join;
    }
  }

  /** `[LEFT] ARRAY JOIN a [AS x], …`; `left` is absent when there is no FROM. */
  tryParseArrayJoin(left: FromItem | undefined): FromItem | undefined {
    let isLeft = false;
    let k = 0;
    if (this.isKw('LEFT') || this.isKw('INNER')) {
      isLeft = this.isKw('LEFT');
      k = 1;
    }
    if (!this.isKw('ARRAY', k) || !this.isKw('JOIN', k + 1)) {
      this.noteExpected('ARRAY JOIN');
      return undefined;
    }
    const pos = this.offset;
    this.idx += k + 2;
    const exprs = this.parseExprList(true);
    const ref: FromItem = { kind: 'array_join', isLeft, exprs, pos };
    if (left) ref.left = left;
    return ref;
  }

  private tryParseJoin(left: FromItem): JoinRef | undefined {
    const start = this.mark();
    const pos = this.offset;
    let global = false;
    if (this.acceptKw('GLOBAL')) global = true;
    else this.acceptKw('LOCAL');
    let strictness = this.acceptAnyKw(STRICTNESS) as JoinStrictness | undefined;
    let kind = this.acceptAnyKw(KINDS) as JoinKind | undefined;
    this.acceptKw('OUTER');
    if (!strictness) strictness = this.acceptAnyKw(STRICTNESS) as JoinStrictness | undefined;
    if (!this.acceptKw('JOIN')) {
      this.rewind(start);
      return undefined;
    }
    const right = this.parseFromItem();
    const join: JoinRef = { kind: 'join', left, right, joinKind: kind ?? 'INNER', pos };
    if (strictness) join.strictness = strictness;
    if (global) join.global = true;
    kind ??= 'INNER';
    if (this.acceptKw('ON')) {
      join.on = this.parseExprWithAlias(false);
    } else if (this.acceptKw('USING')) {
      const names: string[] = [];
      const paren = this.acceptOp('(');
      do {
        names.push(this.ident());
        if (paren && this.acceptKw('AS')) this.ident(); // `USING (k AS alias)`: the alias is not kept
      } while ((paren || !this.isFromItemAfterComma()) && this.acceptOp(','));
      if (paren) this.expectOp(')');
      join.using = names;
    }
    return join;
  }

  /** After `USING a`, a comma followed by something that is not a plain name starts another FROM item. */
  private isFromItemAfterComma(): boolean {
    if (!this.isOp(',')) return false;
    const n = this.peek(1);
    return !(n.type === 'word' || n.type === 'quoted') || this.isOp('(', 2) || this.isOp('.', 2);
  }

  parseFromItem(): FromItem {
    const t = this.peek();
    let item: FromItem;
    if (t.type === 'op' && t.value === '(') {
      if (this.isQueryStart(1)) {
        this.advance();
        this.enter();
        const query = this.parseQuery();
        this.leave();
        this.expectOp(')');
        item = { kind: 'subquery', query, pos: t.start };
      } else {
        // `FROM (t1 JOIN t2 ON …)`
        this.advance();
        this.enter();
        item = this.parseFrom();
        this.leave();
        this.expectOp(')');
        return item;
      }
    } else if ((t.type === 'word' || t.type === 'quoted') && this.isOp('(', 1)) {
      item = this.parseTableFunction();
    } else {
      const name = this.parseQualifiedName();
      const table: TableRef = { kind: 'table', name: name.name, pos: t.start };
      if (name.database !== undefined) table.database = name.database;
      item = table;
    }
    this.parseTableModifiers(item);
    this.parseAlias(item, true);
    this.parseTableModifiers(item);
    return item;
  }

  parseTableFunction(): TableFunctionRef {
    const t = this.advance();
    const f = this.parseFunctionCall(t.value, t.start, true);
    if (f.params || f.over || f.distinct) this.error(`Table function ${t.value} cannot have parameters, DISTINCT or OVER`, t.start);
    return { kind: 'table_function', name: f.name, args: f.args, pos: t.start };
  }

  private parseTableModifiers(item: FromItem): void {
    if (item.kind !== 'table') return;
    for (;;) {
      if (this.isKw('FINAL')) {
        this.advance();
        item.final = true;
      } else if (this.isKw('SAMPLE')) {
        this.advance();
        item.sample = this.parseSampleRatio();
        if (this.acceptKw('OFFSET')) item.sampleOffset = this.parseSampleRatio();
      } else return;
    }
  }

  /** `0.1`, `1/10`, `10000` */
  private parseSampleRatio(): Expr {
    return this.parseOperand();
  }
}
