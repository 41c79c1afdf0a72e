import { DbError, ErrorCodes, type ErrorName } from '../../src/errors/index.js';

/**
 * ClickHouse errors the HTTP interface raises whose codes Hadron's registry does not list yet
 * (src/errors/error-codes.ts belongs to the engine). Once the registry has them this falls back to plain DbError.
 */
const EXTRA_CODES = {
  SESSION_NOT_FOUND: 372,
  SESSION_IS_LOCKED: 373,
  INVALID_SESSION_TIMEOUT: 374,
  ZLIB_INFLATE_FAILED: 354,
} as const;

export type HttpErrorName = ErrorName | keyof typeof EXTRA_CODES;

export function httpError(name: HttpErrorName, message: string): DbError {
  if (name in ErrorCodes) return new DbError(name as ErrorName, message);
  const err = new DbError('UNKNOWN_EXCEPTION', message);
  // DbError's fields are readonly for consumers; here we only finish constructing it.
  const writable = err as { code: number; errorName: string };
  writable.code = EXTRA_CODES[name as keyof typeof EXTRA_CODES];
  writable.errorName = name;
  return err;
}
