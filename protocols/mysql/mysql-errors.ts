import { DbError, toDbError } from '../../src/errors/index.js';
import type { PacketWriter } from './packet-codec.js';

/** A MySQL error number and SQLSTATE for a Hadron (ClickHouse) error code. */
export interface MysqlErrorCode {
  readonly errno: number;
  readonly sqlState: string;
}

/** ClickHouse error code → MySQL error (include/mysqld_error.h). Everything else is 1105 / HY000. */
const BY_CLICKHOUSE_CODE = new Map<number, MysqlErrorCode>([
  [62, { errno: 1064, sqlState: '42000' }], // SYNTAX_ERROR → ER_PARSE_ERROR
  [60, { errno: 1146, sqlState: '42S02' }], // UNKNOWN_TABLE → ER_NO_SUCH_TABLE
  [47, { errno: 1054, sqlState: '42S22' }], // UNKNOWN_IDENTIFIER → ER_BAD_FIELD_ERROR
  [16, { errno: 1054, sqlState: '42S22' }], // NO_SUCH_COLUMN_IN_TABLE
  [8, { errno: 1054, sqlState: '42S22' }], // THERE_IS_NO_COLUMN
  [10, { errno: 1054, sqlState: '42S22' }], // NOT_FOUND_COLUMN_IN_BLOCK
  [81, { errno: 1049, sqlState: '42000' }], // UNKNOWN_DATABASE → ER_BAD_DB_ERROR
  [57, { errno: 1050, sqlState: '42S01' }], // TABLE_ALREADY_EXISTS → ER_TABLE_EXISTS_ERROR
  [82, { errno: 1007, sqlState: 'HY000' }], // DATABASE_ALREADY_EXISTS → ER_DB_CREATE_EXISTS
  [15, { errno: 1060, sqlState: '42S21' }], // DUPLICATE_COLUMN → ER_DUP_FIELDNAME
  [46, { errno: 1305, sqlState: '42000' }], // UNKNOWN_FUNCTION → ER_SP_DOES_NOT_EXIST
  [516, { errno: 1045, sqlState: '28000' }], // AUTHENTICATION_FAILED → ER_ACCESS_DENIED_ERROR
  [291, { errno: 1044, sqlState: '42000' }], // DATABASE_ACCESS_DENIED → ER_DBACCESS_DENIED_ERROR
  [394, { errno: 1317, sqlState: '70100' }], // QUERY_WAS_CANCELLED → ER_QUERY_INTERRUPTED
  [159, { errno: 3024, sqlState: 'HY000' }], // TIMEOUT_EXCEEDED → ER_QUERY_TIMEOUT
  [48, { errno: 1235, sqlState: '42000' }], // NOT_IMPLEMENTED → ER_NOT_SUPPORTED_YET
  [164, { errno: 1290, sqlState: 'HY000' }], // READONLY → ER_OPTION_PREVENTS_STATEMENT
  [456, { errno: 1210, sqlState: 'HY000' }], // UNKNOWN_QUERY_PARAMETER → ER_WRONG_ARGUMENTS
  [457, { errno: 1210, sqlState: 'HY000' }], // BAD_QUERY_PARAMETER
  [229, { errno: 1153, sqlState: '08S01' }], // QUERY_IS_TOO_LARGE → ER_NET_PACKET_TOO_LARGE
  [115, { errno: 1193, sqlState: 'HY000' }], // UNKNOWN_SETTING → ER_UNKNOWN_SYSTEM_VARIABLE
]);

const DEFAULT_ERROR: MysqlErrorCode = { errno: 1105, sqlState: 'HY000' }; // ER_UNKNOWN_ERROR

export function mysqlErrorCode(e: DbError): MysqlErrorCode {
  return BY_CLICKHOUSE_CODE.get(e.code) ?? DEFAULT_ERROR;
}

/** Protocol-level errors that have no ClickHouse counterpart. */
export const ProtocolError = {
  UNKNOWN_COMMAND: { errno: 1047, sqlState: '08S01' }, // ER_UNKNOWN_COM_ERROR
  UNKNOWN_STATEMENT: { errno: 1243, sqlState: 'HY000' }, // ER_UNKNOWN_STMT_HANDLER
  MALFORMED_PACKET: { errno: 1835, sqlState: 'HY000' }, // ER_MALFORMED_PACKET
  PACKET_TOO_LARGE: { errno: 1153, sqlState: '08S01' }, // ER_NET_PACKET_TOO_LARGE
  WRONG_ARGUMENTS: { errno: 1210, sqlState: 'HY000' }, // ER_WRONG_ARGUMENTS
  HANDSHAKE: { errno: 1043, sqlState: '08S01' }, // ER_HANDSHAKE_ERROR
  NO_SUCH_THREAD: { errno: 1094, sqlState: 'HY000' }, // ER_NO_SUCH_THREAD
  UNKNOWN_SYSTEM_VARIABLE: { errno: 1193, sqlState: 'HY000' }, // ER_UNKNOWN_SYSTEM_VARIABLE
} as const satisfies Record<string, MysqlErrorCode>;

/** ERR packet: 0xFF, error number, '#' + SQLSTATE, message. */
export function writeErrPacket(w: PacketWriter, code: MysqlErrorCode, message: string): void {
  w.begin().u8(0xff).u16(code.errno).u8(0x23).restString(code.sqlState.padEnd(5, '0').slice(0, 5)).restString(message).end();
}

/** ERR packet for anything thrown by the engine: MySQL number and SQLSTATE, ClickHouse code and name in the text. */
export function writeDbError(w: PacketWriter, e: unknown): DbError {
  const err = toDbError(e);
  writeErrPacket(w, mysqlErrorCode(err), err.displayText());
  return err;
}
