import { formatStatement, parseExpression, parseStatement, stripPositions, type Expr, type Statement } from '../../src/sql/index.js';

/** A tree without positions, keys sorted and values JSON-safe, for comparisons. */
export function canonical(x: unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? '-0' : v) : String(v);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = walk((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return walk(stripPositions(x));
}

/** parseStatement without positions. */
export function parse(sql: string): Statement {
  return stripPositions(parseStatement(sql));
}

/** parseExpression without positions. */
export function expr(sql: string): Expr {
  return stripPositions(parseExpression(sql));
}

/** The canonical text of a statement, after checking that it parses back to the same tree. */
export function roundTrip(sql: string): string {
  const st = parseStatement(sql);
  const text = formatStatement(st);
  const again = parseStatement(text);
  if (JSON.stringify(canonical(again)) !== JSON.stringify(canonical(st))) {
    throw new Error(`round trip changed the tree:\n  ${sql}\n  ${text}\n  ${JSON.stringify(canonical(st))}\n  ${JSON.stringify(canonical(again))}`);
  }
  return text;
}
