import { ErrorCodes, errorNameOf, type ErrorName } from './error-codes.js';

/**
 * The one error type the engine raises for anything a client did or asked: it carries ClickHouse's code and
 * name, and every protocol maps it (Exception packet, HTTP status + X-ClickHouse-Exception-Code, SQLSTATE).
 */
export class DbError extends Error {
  readonly code: number;
  readonly errorName: string;
  /** Errors that caused this one (the native protocol sends them as nested exceptions). */
  readonly nested?: DbError;

  constructor(name: ErrorName, message: string, nested?: DbError) {
    super(message);
    this.code = ErrorCodes[name];
    this.errorName = errorNameOf(this.code) === 'UNKNOWN_EXCEPTION' ? name : errorNameOf(this.code);
    this.nested = nested;
  }

  /** The text ClickHouse clients print: `Code: 60. DB::Exception: Table x doesn't exist. (UNKNOWN_TABLE)`. */
  displayText(): string {
    return `Code: ${this.code}. DB::Exception: ${this.message}. (${this.errorName})`;
  }
}

/** A broken invariant inside Hadron, not a user mistake; still reported to the client as LOGICAL_ERROR. */
export class InternalError extends DbError {
  constructor(message: string) {
    super('LOGICAL_ERROR', message);
  }
}

/** Converts anything thrown into a DbError so protocols have one thing to report. */
export function toDbError(e: unknown): DbError {
  if (e instanceof DbError) return e;
  const err = e as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  // Errors from lower layers (compression, codecs) may carry a ClickHouse code of their own.
  if (err && typeof err.code === 'number' && typeof err.message === 'string') {
    const name = errorNameOf(err.code);
    if (name !== 'UNKNOWN_EXCEPTION') return new DbError(name as ErrorName, err.message);
  }
  if (e instanceof RangeError && /allocation|Array buffer|Invalid typed array length|Invalid string length/i.test(e.message)) {
    return new DbError('MEMORY_LIMIT_EXCEEDED', `Memory limit exceeded: ${e.message}`);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new DbError('LOGICAL_ERROR', message);
}

export function syntaxError(message: string, sql: string, pos: number): DbError {
  const excerpt = sql.slice(pos, pos + 60).replace(/\s+/g, ' ');
  const line = sql.slice(0, pos).split('\n').length;
  const col = pos - sql.lastIndexOf('\n', pos - 1);
  return new DbError(
    'SYNTAX_ERROR',
    `Syntax error: failed at position ${pos + 1} (line ${line}, col ${col}) ('${excerpt}'): ${excerpt}. ${message}`,
  );
}
