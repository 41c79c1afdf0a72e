import type { Expr } from '../sql/ast.js';

/** The column references in an expression (lambda parameters excluded), as identifier parts. */
export function identifiersOf(e: Expr): string[][] {
  switch (e.kind) {
    case 'identifier':
      return [e.parts];
    case 'function':
      return e.args.flatMap(identifiersOf);
    case 'lambda':
      return identifiersOf(e.body).filter((p) => !(p.length === 1 && e.params.includes(p[0]!)));
    default:
      return [];
  }
}
