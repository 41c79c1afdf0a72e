import { DbError } from '../../src/errors/index.js';
import type { ErrorName } from '../../src/errors/error-codes.js';
import type { ErrorFields } from './messages.js';

/** ClickHouse error names → Postgres SQLSTATE codes; anything unlisted is XX000 (internal_error). */
const SQLSTATE_BY_NAME: Readonly<Record<string, string>> = {
  SYNTAX_ERROR: '42601',
  UNKNOWN_TABLE: '42P01',
  UNKNOWN_DATABASE: '3F000',
  UNKNOWN_IDENTIFIER: '42703',
  NO_SUCH_COLUMN_IN_TABLE: '42703',
  UNKNOWN_FUNCTION: '42883',
  UNKNOWN_AGGREGATE_FUNCTION: '42883',
  NUMBER_OF_ARGUMENTS_DOESNT_MATCH: '42883',
  TOO_MANY_ARGUMENTS_FOR_FUNCTION: '42883',
  TOO_FEW_ARGUMENTS_FOR_FUNCTION: '42883',
  AUTHENTICATION_FAILED: '28P01',
  UNKNOWN_USER: '28000',
  QUERY_WAS_CANCELLED: '57014',
  TIMEOUT_EXCEEDED: '57014',
  TYPE_MISMATCH: '42804',
  ILLEGAL_TYPE_OF_ARGUMENT: '42804',
  NO_COMMON_TYPE: '42804',
  CANNOT_PARSE_TEXT: '22P02',
  CANNOT_PARSE_NUMBER: '22P02',
  CANNOT_PARSE_DATE: '22007',
  CANNOT_PARSE_DATETIME: '22007',
  CANNOT_PARSE_UUID: '22P02',
  CANNOT_PARSE_INPUT_ASSERTION_FAILED: '22P02',
  CANNOT_PARSE_QUOTED_STRING: '22P02',
  CANNOT_CONVERT_TYPE: '22P02',
  ILLEGAL_DIVISION: '22012',
  DECIMAL_OVERFLOW: '22003',
  ARGUMENT_OUT_OF_BOUND: '22003',
  UNKNOWN_TYPE: '42704',
  UNKNOWN_SETTING: '42704',
  TABLE_ALREADY_EXISTS: '42P07',
  DATABASE_ALREADY_EXISTS: '42P06',
  READONLY: '25006',
  NOT_IMPLEMENTED: '0A000',
  MEMORY_LIMIT_EXCEEDED: '53200',
  TOO_MANY_ROWS_OR_BYTES: '54000',
  QUERY_IS_TOO_LARGE: '54000',
  TOO_DEEP_AST: '54001',
  BAD_ARGUMENTS: '22023',
  ILLEGAL_COLUMN: '42804',
};

export function sqlstateOf(e: DbError): string {
  if (e instanceof PgStateError) return e.sqlstate;
  return SQLSTATE_BY_NAME[e.errorName] ?? 'XX000';
}

/** The ErrorResponse fields for an engine error: SQLSTATE, message, and ClickHouse's code in the detail. */
export function errorFieldsOf(e: DbError, severity: 'ERROR' | 'FATAL' = 'ERROR'): ErrorFields {
  return { severity, code: sqlstateOf(e), message: e.message, detail: `Code: ${e.code}. ${e.errorName}` };
}

/** An error whose SQLSTATE is Postgres' own (no ClickHouse counterpart), e.g. 25P02 in a failed transaction. */
export class PgStateError extends DbError {
  constructor(
    readonly sqlstate: string,
    name: ErrorName,
    message: string,
  ) {
    super(name, message);
  }
}
