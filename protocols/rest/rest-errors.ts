import { DbError, ErrorCodes, toDbError } from '../../src/errors/index.js';
import { httpStatusOfErrorCode } from '../http/http-status.js';

/**
 * Proton's REST error body (RestRouterHandler::jsonErrorResponse): `{"error_msg": …, "code": N, "request_id": …}`,
 * sent with the HTTP status the ClickHouse-style HTTP interface uses for that error code.
 */
export interface RestErrorBody {
  readonly error_msg: string;
  readonly code: number;
  readonly request_id: string;
}

/** A request the handler refuses before it reaches the engine (bad JSON, missing field): always 400. */
export class RestRequestError extends DbError {
  readonly httpStatus: number;
  constructor(name: 'BAD_REQUEST_PARAMETER' | 'INCORRECT_DATA' | 'INCORRECT_QUERY' | 'UNKNOWN_DATABASE' | 'UNKNOWN_TABLE', message: string, httpStatus = 400) {
    super(name, message);
    this.httpStatus = httpStatus;
  }
}

export function restErrorBody(err: DbError, requestId: string): RestErrorBody {
  return { error_msg: err.message, code: err.code, request_id: requestId };
}

export function restStatusOf(err: DbError): number {
  if (err instanceof RestRequestError) return err.httpStatus;
  // Proton-specific codes the HTTP interface's table does not know.
  if (err.code === ErrorCodes.BAD_REQUEST_PARAMETER || err.code === ErrorCodes.INCORRECT_QUERY) return 400;
  return httpStatusOfErrorCode(err.code);
}

/** Any thrown value as a DbError (internal failures become UNKNOWN_EXCEPTION, never a dropped connection). */
export function asDbError(e: unknown): DbError {
  return toDbError(e);
}
