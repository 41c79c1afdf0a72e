import { DbError } from '../../src/errors/index.js';
import type { BinaryReader } from '../../src/types/serializations/buffer.js';

/**
 * Before revision 54429 a Query packet carries each changed setting as its name followed by the value in
 * that setting's own binary form: VarUInt for unsigned, bool, seconds and milliseconds settings, a zigzag
 * VarInt for signed ones, and a string for floats, strings, chars and enums. The form depends on the type,
 * so these lists name the settings of ClickHouse 18.x (the clients that still speak this revision) that are
 * not VarUInt.
 */
const STRING_SETTINGS = new Set([
  'load_balancing', 'totals_mode', 'totals_auto_threshold', 'max_streams_to_max_threads_ratio', 'network_compression_method',
  'distributed_product_mode', 'memory_tracker_fault_probability', 'count_distinct_implementation', 'input_format_allow_errors_ratio',
  'join_default_strictness', 'format_schema', 'read_overflow_mode', 'group_by_overflow_mode', 'sort_overflow_mode',
  'result_overflow_mode', 'timeout_overflow_mode', 'set_overflow_mode', 'join_overflow_mode', 'transfer_overflow_mode',
  'distinct_overflow_mode', 'format_csv_delimiter', 'date_time_input_format', 'send_logs_level', 'profile',
  'insert_quorum_timeout_mode', 'format_template_resultset', 'format_template_row', 'format_template_rows_between_delimiter',
]);

const SIGNED_SETTINGS = new Set(['network_zstd_compression_level', 'http_zlib_compression_level', 'distributed_ddl_task_timeout']);

export function readLegacySettingValue(r: BinaryReader, name: string): string {
  if (STRING_SETTINGS.has(name)) return r.string();
  const v = r.varuint();
  if (SIGNED_SETTINGS.has(name)) return String(v % 2 === 0 ? v / 2 : -(v + 1) / 2);
  if (!Number.isSafeInteger(v)) throw new DbError('INCORRECT_DATA', `Value of setting ${name} is out of range`);
  return String(v);
}
