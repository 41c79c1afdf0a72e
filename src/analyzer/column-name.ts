import type { Expr, LiteralValue } from '../sql/ast.js';

/**
 * The name ClickHouse gives an expression's result column: its text with operators spelled as functions
 * (`SELECT 1 + a` → `plus(1, a)`). Aggregates and GROUP BY keys are matched across query stages by this name.
 */
export function exprName(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return literalText(e.value, e.text);
    case 'identifier':
      return e.parts.join('.');
    case 'asterisk':
      return e.qualifier ? `${e.qualifier.join('.')}.*` : '*';
    case 'function': {
      // `[1, 2]` is parsed as a literal by ClickHouse and named like one; `[x]`, `[]` and `array(1, 2)` are calls.
      if (e.bracketSyntax && e.args.length > 0 && e.args.every(isLiteralLike)) return `[${e.args.map(exprName).join(', ')}]`;
      const fname = e.distinct ? distinctName(e.name) : e.name;
      const params = e.params ? `(${e.params.map(exprName).join(', ')})` : '';
      const args = e.args.filter((a) => a.kind !== 'asterisk' || e.name.toLowerCase() !== 'count').map(exprName).join(', ');
      const over = e.over ? ` OVER (${windowSpecText(e.over)})` : '';
      return `${fname}${params}(${args})${over}`;
    }
    case 'lambda':
      return `lambda(tuple(${e.params.join(', ')}), ${exprName(e.body)})`;
    case 'subquery':
      return `_subquery`;
    case 'param':
      return `{${e.name}:${e.type.name}}`;
  }
}

/** Literals, negative number literals and nested literal brackets, as ClickHouse's array-literal parser takes them. */
function isLiteralLike(e: Expr): boolean {
  if (e.kind === 'literal') return true;
  if (e.kind !== 'function') return false;
  if (e.name === 'negate' && e.args.length === 1 && e.args[0]!.kind === 'literal') return true;
  return !!e.bracketSyntax && e.args.length > 0 && e.args.every(isLiteralLike);
}

function windowSpecText(w: import('../sql/ast.js').WindowSpec): string {
  const parts: string[] = [];
  if (w.baseName) parts.push(w.baseName);
  if (w.partitionBy.length) parts.push(`PARTITION BY ${w.partitionBy.map(exprName).join(', ')}`);
  if (w.orderBy.length) parts.push(`ORDER BY ${w.orderBy.map((o) => `${exprName(o.expr)} ${o.direction}`).join(', ')}`);
  if (w.frame) {
    const b = (x: import('../sql/ast.js').WindowFrameBound) =>
      x.kind === 'preceding' || x.kind === 'following' ? `${x.offset ? exprName(x.offset) : ''} ${x.kind.toUpperCase()}` : x.kind.replace(/_/g, ' ').toUpperCase();
    parts.push(`${w.frame.type} BETWEEN ${b(w.frame.start)} AND ${b(w.frame.end)}`);
  }
  return parts.join(' ');
}

function distinctName(name: string): string {
  return name.toLowerCase() === 'count' ? 'countDistinct' : `${name}Distinct`;
}

export function literalText(v: LiteralValue, text?: string): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return text && !/^[+]/.test(text) && !/[eExX.]/.test(text) ? text : String(v);
  if (Array.isArray(v)) return `[${v.map((x) => literalText(x)).join(', ')}]`;
  return String(v);
}
