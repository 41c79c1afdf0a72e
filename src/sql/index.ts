/**
 * Hadron's SQL front end: lexer, parser (ClickHouse's dialect plus Proton's streaming extensions) and
 * formatter. Choices the rest of the engine can rely on, beyond what ast.ts says:
 * - Arrays and tuples are always functions: `[1, 2]` → array(1, 2), `(1, 'a')` → tuple(1, 'a'), `()` → tuple();
 *   LiteralValue arrays only appear as SETTINGS values. Folding constants is the analyzer's job.
 * - Operators use ClickHouse's function names (plus, equals, notIn, arrayElement, tupleElement, concat,
 *   isNull, negate, …); `a AND b AND c` → and(a, b, c); `x BETWEEN a AND b` → and(greaterOrEquals(x, a),
 *   lessOrEquals(x, b)); `c ? a : b` → if(c, a, b); `x = ANY (subquery)` → in(x, subquery) and friends.
 * - Names the user wrote keep their case (`to_string`, `toString`); only rewritten forms use fixed names:
 *   CAST (`CAST(x AS T)`, `x::T` → CAST(x, 'T') with T in canonical spelling), multiIf / caseWithExpression
 *   (CASE), toIntervalSecond… (INTERVAL and Proton's `5s`), toDate / toDateTime (DATE '…', TIMESTAMP '…'),
 *   toDayOfMonth… (EXTRACT), trimBoth / replaceRegexpAll… (TRIM), globalVariable (`@@x`), `fIf(x, c)` for
 *   `f(x) FILTER (WHERE c)`.
 * - Negative number literals are folded (`-1` is the literal -1), numbers keep their spelling in `text`;
 *   integers beyond 2^53 are bigints, beyond UInt64 Float64s.
 * - Proton's `raw:a.b` → json_value(raw, '$.`a`.`b`'); session window ranges `[c1, c2)` (only inside
 *   session(…)) → __sessionRange(c1, c2, startInclusive, endInclusive).
 * - A bare UNION is 'UNION ALL' with `implicitMode` (Proton's union_default_mode).
 * - `$1` placeholders are tokens (see tokenize) but not expressions: protocols substitute them first.
 */
import { DbError, syntaxError } from '../errors/index.js';
import type { Expr, Statement } from './ast.js';
import { StatementParser } from './parse-statement.js';
import { insertDataEnd } from './script.js';

export type * from './ast.js';
export { formatStatement, formatExpr, formatQuery, formatColumn } from './formatter.js';
export { splitStatements, splitStatementRanges } from './script.js';
export { tokenize, type Token, type TokenType } from './lexer.js';
export { quoteIdentifier, quoteName, quoteString, backQuote, formatType } from './quote.js';
export { stripPositions } from './ast-util.js';

/**
 * Parses exactly one statement (a trailing `;` is allowed). For `INSERT … VALUES` / `INSERT … FORMAT X` the
 * inline data is not parsed: `dataOffset` says where it starts and it runs to the end of the text.
 * Throws DbError SYNTAX_ERROR (62), or TOO_DEEP_AST (167) for absurdly nested input.
 */
export function parseStatement(sql: string): Statement {
  return guardDepth(() => {
    const p = new StatementParser(sql);
    if (p.atEnd()) throw syntaxError('Empty query', sql, 0);
    const st = p.parseStatementBody();
    if (st.kind === 'insert' && st.dataOffset !== undefined) return st;
    p.acceptOp(';');
    if (!p.atEnd()) p.fail('end of query');
    return st;
  });
}

export interface ParsedStatement {
  statement: Statement;
  /** Offset of the statement's first character. */
  start: number;
  /** Offset just past its last character (past the inline data for INSERT; the `;` is not included). */
  end: number;
}

/** Parses a multi-statement script. INSERT data ends at the next `;` (VALUES) or at the end of its line (other formats). */
export function parseStatements(sql: string): ParsedStatement[] {
  return guardDepth(() => {
    const p = new StatementParser(sql);
    const out: ParsedStatement[] = [];
    for (;;) {
      while (p.acceptOp(';'));
      if (p.atEnd()) return out;
      const start = p.offset;
      const statement = p.parseStatementBody();
      if (statement.kind === 'insert' && statement.dataOffset !== undefined) {
        const end = insertDataEnd(sql, statement.dataOffset, statement.format ?? 'Values');
        statement.dataEnd = end;
        p.resetAt(end);
        out.push({ statement, start, end });
        continue;
      }
      const end = p.prevEnd;
      if (!p.atEnd() && !p.isOp(';')) p.fail("';'");
      out.push({ statement, start, end });
    }
  });
}

/** Parses a standalone expression (aliases with AS allowed), e.g. a column DEFAULT. */
export function parseExpression(sql: string): Expr {
  return guardDepth(() => {
    const p = new StatementParser(sql);
    const e = p.parseExprWithAlias(false);
    if (!p.atEnd()) p.fail('end of expression');
    return e;
  });
}

function guardDepth<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new DbError('TOO_DEEP_AST', 'AST is too deep (maximum call stack size exceeded)');
    }
    throw e;
  }
}
