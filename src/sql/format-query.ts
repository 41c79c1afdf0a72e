import type { EmitClause, Expr, FromItem, Query, SelectQuery, SettingsMap } from './ast.js';
import { ExprFormatter } from './format-expr.js';
import { quoteIdentifier, quoteName } from './quote.js';

/** SELECT, set operations and FROM clauses back to SQL (one line, canonical keyword order). */
export class QueryFormatter {
  readonly ex: ExprFormatter;

  constructor() {
    this.ex = new ExprFormatter({ formatQuery: (q) => this.query(q) });
  }

  list(items: Expr[]): string {
    return items.map((e) => this.ex.item(e)).join(', ');
  }

  settings(s: SettingsMap): string {
    return Object.entries(s)
      .map(([k, v]) => `${quoteIdentifier(k)} = ${this.ex.literal(v, undefined)}`)
      .join(', ');
  }

  /** A query with its trailing SETTINGS/FORMAT. */
  query(q: Query): string {
    if (q.subscribe) return `SUBSCRIBE TO ${this.query({ ...q, subscribe: false })}`;
    if (q.kind === 'select') return this.select(q, true);
    let s = this.setOperation(q);
    if (q.settings) s += ` SETTINGS ${this.settings(q.settings)}`;
    if (q.format !== undefined) s += ` FORMAT ${quoteIdentifier(q.format)}`;
    return s;
  }

  private setOperation(q: Query): string {
    if (q.kind === 'select') return this.select(q, false);
    const level = q.op.startsWith('INTERSECT') ? 2 : 1;
    const side = (child: Query, right: boolean): string => {
      if (child.kind === 'select') return this.select(child, false);
      const childLevel = child.op.startsWith('INTERSECT') ? 2 : 1;
      const needParens = right || childLevel < level || child.settings !== undefined || child.format !== undefined;
      const inner = this.setOperation(child) + (child.settings ? ` SETTINGS ${this.settings(child.settings)}` : '');
      return needParens ? `(${inner})` : inner;
    };
    return `${side(q.left, false)} ${q.implicitMode && q.op === 'UNION ALL' ? 'UNION' : q.op} ${side(q.right, true)}`;
  }

  select(q: SelectQuery, top: boolean): string {
    const p: string[] = [];
    if (q.with?.length) {
      p.push(
        'WITH ' +
          q.with
            .map((w) => (w.query ? `${quoteIdentifier(w.name)} AS (${this.query(w.query)})` : `${this.ex.expr(w.expr!, 1)} AS ${quoteIdentifier(w.name)}`))
            .join(', '),
      );
    }
    let head = 'SELECT';
    if (q.distinctOn) head += ` DISTINCT ON (${this.list(q.distinctOn)})`;
    else if (q.distinct) head += ' DISTINCT';
    if (q.top) head += ` TOP ${this.ex.expr(q.top, 10)}${q.withTies ? ' WITH TIES' : ''}`;
    p.push(`${head} ${this.list(q.columns)}`);
    if (q.from) {
      if (q.from.kind === 'array_join' && !q.from.left) p.push(this.from(q.from));
      else p.push(`FROM ${this.from(q.from)}`);
    }
    if (q.prewhere) p.push(`PREWHERE ${this.ex.item(q.prewhere)}`);
    if (q.where) p.push(`WHERE ${this.ex.item(q.where)}`);
    if (q.partitionBy) p.push(`PARTITION BY ${this.list(q.partitionBy)}`);
    if (q.shuffleBy) p.push(`SHUFFLE BY ${this.list(q.shuffleBy)}`);
    if (q.groupByAll) p.push('GROUP BY ALL');
    else if (q.groupByModifier === 'GROUPING SETS' && q.groupingSets) {
      p.push(`GROUP BY GROUPING SETS (${q.groupingSets.map((s) => `(${this.list(s)})`).join(', ')})`);
    } else if (q.groupBy) {
      if (q.groupByModifier === 'ROLLUP' || q.groupByModifier === 'CUBE') p.push(`GROUP BY ${q.groupByModifier}(${this.list(q.groupBy)})`);
      else p.push(`GROUP BY ${this.list(q.groupBy)}`);
    } else if (q.groupByModifier === 'ROLLUP' || q.groupByModifier === 'CUBE') p.push(`WITH ${q.groupByModifier}`);
    if (q.withTotals) p.push('WITH TOTALS');
    if (q.having) p.push(`HAVING ${this.ex.item(q.having)}`);
    if (q.windows?.length) p.push(`WINDOW ${q.windows.map((w) => `${quoteIdentifier(w.name)} AS ${this.ex.windowSpec(w.spec)}`).join(', ')}`);
    if (q.qualify) p.push(`QUALIFY ${this.ex.item(q.qualify)}`);
    if (q.orderBy?.length) p.push(`ORDER BY ${this.ex.orderList(q.orderBy)}`);
    if (q.limitBy) {
      const off = q.limitBy.offset ? ` OFFSET ${this.ex.item(q.limitBy.offset)}` : '';
      p.push(`LIMIT ${this.ex.item(q.limitBy.limit)}${off} BY ${this.list(q.limitBy.by)}`);
    }
    if (q.limit) {
      let s = `LIMIT ${this.ex.item(q.limit)}`;
      if (q.offset) s += ` OFFSET ${this.ex.item(q.offset)}`;
      if (q.withTies && !q.top) s += ' WITH TIES';
      p.push(s);
    } else if (q.offset) p.push(`OFFSET ${this.ex.item(q.offset)}`);
    if (q.emit) p.push(this.emit(q.emit));
    if (q.settings) p.push(`SETTINGS ${this.settings(q.settings)}`);
    if (top && q.format !== undefined) p.push(`FORMAT ${quoteIdentifier(q.format)}`);
    return p.join(' ');
  }

  emit(e: EmitClause): string {
    const p: string[] = ['EMIT'];
    if (e.stream) p.push('STREAM');
    if (e.changelog) p.push('CHANGELOG');
    const clauses: string[] = [];
    if (e.afterWatermark) clauses.push(`AFTER WATERMARK${e.delay ? ` WITH DELAY ${this.ex.expr(e.delay, 9)}` : ''}`);
    if (e.periodic) clauses.push(`PERIODIC ${this.ex.expr(e.periodic, 9)}`);
    if (e.onUpdate) clauses.push('ON UPDATE');
    if (e.timeout) clauses.push(`TIMEOUT ${this.ex.expr(e.timeout, 9)}`);
    if (e.last) clauses.push(`LAST ${this.ex.expr(e.last, 9)}${e.onProctime ? ' ON PROCTIME' : ''}`);
    if (clauses.length) p.push(clauses.join(' AND '));
    return p.join(' ');
  }

  from(f: FromItem): string {
    const alias = (s: string) => (f.alias !== undefined ? `${s} AS ${quoteIdentifier(f.alias)}` : s);
    switch (f.kind) {
      case 'table': {
        let s = alias((f.database !== undefined ? quoteName(f.database) + '.' : '') + quoteName(f.name));
        if (f.final) s += ' FINAL';
        if (f.sample) s += ` SAMPLE ${this.ex.expr(f.sample, 9)}`;
        if (f.sampleOffset) s += ` OFFSET ${this.ex.expr(f.sampleOffset, 9)}`;
        return s;
      }
      case 'table_function':
        return alias(`${quoteIdentifier(f.name)}(${this.list(f.args)})`);
      case 'subquery':
        return alias(`(${this.query(f.query)})`);
      case 'join': {
        const right = f.right.kind === 'join' || f.right.kind === 'array_join' ? `(${this.from(f.right)})` : this.from(f.right);
        if (f.comma) return `${this.from(f.left)}, ${right}`;
        const words: string[] = [];
        if (f.global) words.push('GLOBAL');
        if (f.strictness) words.push(f.strictness);
        words.push(f.joinKind, 'JOIN');
        let s = `${this.from(f.left)} ${words.join(' ')} ${right}`;
        if (f.on) s += ` ON ${this.ex.item(f.on)}`;
        else if (f.using) s += ` USING (${f.using.map(quoteIdentifier).join(', ')})`;
        return s;
      }
      case 'array_join': {
        const s = `${f.isLeft ? 'LEFT ' : ''}ARRAY JOIN ${this.list(f.exprs)}`;
        return f.left ? `${this.from(f.left)} ${s}` : s;
      }
    }
  }
}
