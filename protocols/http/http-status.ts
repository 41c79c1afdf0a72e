import { ErrorCodes } from '../../src/errors/index.js';

/**
 * ClickHouse's exceptionCodeToHTTPStatus (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp): the HTTP status a
 * failed query answers with, chosen by its error code. Codes Hadron's registry lacks are listed by number.
 */
const REQUIRED_PASSWORD = ErrorCodes.REQUIRED_PASSWORD;

const FORBIDDEN = new Set<number>([
  ErrorCodes.UNKNOWN_USER,
  ErrorCodes.WRONG_PASSWORD,
  ErrorCodes.AUTHENTICATION_FAILED,
  512, // SET_NON_GRANTED_ROLE
  497, // ACCESS_DENIED
]);

const BAD_REQUEST = new Set<number>([
  ErrorCodes.BAD_ARGUMENTS,
  ErrorCodes.CANNOT_COMPILE_REGEXP,
  ErrorCodes.CANNOT_PARSE_TEXT,
  ErrorCodes.CANNOT_PARSE_ESCAPE_SEQUENCE,
  ErrorCodes.CANNOT_PARSE_QUOTED_STRING,
  ErrorCodes.CANNOT_PARSE_DATE,
  ErrorCodes.CANNOT_PARSE_DATETIME,
  ErrorCodes.CANNOT_PARSE_NUMBER,
  ErrorCodes.CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING,
  ErrorCodes.CANNOT_PARSE_IPV4,
  ErrorCodes.CANNOT_PARSE_IPV6,
  ErrorCodes.CANNOT_PARSE_INPUT_ASSERTION_FAILED,
  ErrorCodes.CANNOT_PARSE_UUID,
  ErrorCodes.DUPLICATE_COLUMN,
  ErrorCodes.ILLEGAL_COLUMN,
  ErrorCodes.UNKNOWN_ELEMENT_IN_AST,
  ErrorCodes.UNKNOWN_TYPE_OF_AST_NODE,
  ErrorCodes.THERE_IS_NO_COLUMN,
  ErrorCodes.TOO_DEEP_AST,
  ErrorCodes.TOO_BIG_AST,
  ErrorCodes.UNEXPECTED_AST_STRUCTURE,
  ErrorCodes.SYNTAX_ERROR,
  ErrorCodes.INCORRECT_DATA,
  ErrorCodes.TYPE_MISMATCH,
  ErrorCodes.VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE,
]);

const NOT_FOUND = new Set<number>([
  ErrorCodes.UNKNOWN_TABLE,
  ErrorCodes.UNKNOWN_FUNCTION,
  ErrorCodes.UNKNOWN_IDENTIFIER,
  ErrorCodes.UNKNOWN_TYPE,
  ErrorCodes.UNKNOWN_STORAGE,
  ErrorCodes.UNKNOWN_DATABASE,
  ErrorCodes.UNKNOWN_SETTING,
  ErrorCodes.UNKNOWN_DIRECTION_OF_SORTING,
  ErrorCodes.UNKNOWN_AGGREGATE_FUNCTION,
  ErrorCodes.UNKNOWN_FORMAT,
  ErrorCodes.UNKNOWN_DATABASE_ENGINE,
  511, // UNKNOWN_ROLE
]);

export function httpStatusOfErrorCode(code: number): number {
  if (code === REQUIRED_PASSWORD) return 401;
  if (FORBIDDEN.has(code)) return 403;
  if (BAD_REQUEST.has(code)) return 400;
  if (NOT_FOUND.has(code)) return 404;
  switch (code) {
    case ErrorCodes.QUERY_IS_TOO_LARGE:
      return 413;
    case ErrorCodes.NOT_IMPLEMENTED:
      return 501;
    case ErrorCodes.SOCKET_TIMEOUT:
    case ErrorCodes.CANNOT_OPEN_FILE:
    case 439: // CANNOT_SCHEDULE_TASK
      return 503;
    case ErrorCodes.HTTP_LENGTH_REQUIRED:
      return 411;
    case ErrorCodes.TIMEOUT_EXCEEDED:
      return 408;
    default:
      return 500;
  }
}
