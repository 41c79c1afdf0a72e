import { DbError } from '../errors/index.js';

/** A setting Hadron knows: its default, type and meaning (system.settings lists them). */
export interface SettingDef {
  readonly name: string;
  readonly default: string;
  readonly type: 'UInt64' | 'Int64' | 'Bool' | 'String' | 'Float' | 'Seconds' | 'Milliseconds';
  readonly description: string;
}

const S = (name: string, def: string, type: SettingDef['type'], description: string): SettingDef => ({ name, default: def, type, description });

export const SETTINGS: readonly SettingDef[] = [
  S('max_block_size', '65409', 'UInt64', 'Maximum rows per block when reading'),
  S('max_insert_block_size', '1048449', 'UInt64', 'Rows per block formed when parsing inserted data'),
  S('min_insert_block_size_rows', '1048449', 'UInt64', 'Blocks sent by native clients are squashed up to this many rows before they are written'),
  S('min_insert_block_size_bytes', '268402944', 'UInt64', 'Blocks sent by native clients are squashed up to this many bytes before they are written'),
  S('max_threads', '2', 'UInt64', 'Threads for query execution (informational in Hadron)'),
  S('max_execution_time', '0', 'Seconds', 'Maximum query time in seconds, 0 = unlimited'),
  S('max_result_rows', '0', 'UInt64', 'Limit on result rows, 0 = unlimited'),
  S('max_result_bytes', '0', 'UInt64', 'Limit on result bytes, 0 = unlimited'),
  S('result_overflow_mode', 'throw', 'String', 'What to do when a result limit is exceeded: throw or break'),
  S('max_memory_usage', '0', 'UInt64', 'Maximum memory for a query in bytes, 0 = unlimited'),
  S('max_query_size', '262144', 'UInt64', 'Maximum size of the query text to parse'),
  S('readonly', '0', 'UInt64', '1 = only reading queries, 2 = reading and changing settings'),
  S('extremes', '0', 'Bool', 'Compute extremes (min/max) of result columns'),
  S('enable_dependency_check', 'true', 'Bool', 'Proton: refuse to drop a stream that views depend on'),
  S('totals_mode', 'after_having_exclusive', 'String', 'How TOTALS is computed when HAVING is present'),
  S('totals_auto_threshold', '0.5', 'Float', 'The threshold for totals_mode = auto'),
  S('interactive_delay', '100000', 'UInt64', 'Interval in microseconds between progress packets of the native protocol'),
  S('network_zstd_compression_level', '1', 'Int64', 'ZSTD level of native-protocol compression'),
  S('join_use_nulls', '0', 'Bool', 'Unmatched rows of outer joins get NULL instead of defaults'),
  S('session_timezone', '', 'String', 'Timezone of the session (empty: the server timezone)'),
  S('javascript_udf_timeout_ms', '3000', 'UInt64', 'Time limit of one call into a JavaScript UDF/UDA (one block of rows), in milliseconds'),
  S('output_format_json_quote_64bit_integers', '1', 'Bool', 'Quote 64-bit integers in JSON formats'),
  S('output_format_json_quote_decimals', '0', 'Bool', 'Quote decimals in JSON formats'),
  S('output_format_json_quote_denormals', '0', 'Bool', 'Print nan/inf as strings in JSON'),
  S('output_format_pretty_max_rows', '10000', 'UInt64', 'Rows shown by Pretty formats'),
  S('format_csv_delimiter', ',', 'String', 'CSV field delimiter'),
  S('input_format_null_as_default', '1', 'Bool', 'NULL for a non-Nullable column inserts the default'),
  S('input_format_skip_unknown_fields', '1', 'Bool', 'Skip unknown fields in JSON inputs'),
  S('input_format_values_interpret_expressions', '1', 'Bool', 'Evaluate expressions in VALUES'),
  S('date_time_input_format', 'basic', 'String', 'basic or best_effort parsing of DateTime in inputs'),
  S('send_progress_in_http_headers', '0', 'Bool', 'Send X-ClickHouse-Progress headers'),
  S('http_headers_progress_interval_ms', '100', 'Milliseconds', 'Interval between progress headers'),
  S('enable_http_compression', '0', 'Bool', 'Compress HTTP responses per Accept-Encoding'),
  S('http_zlib_compression_level', '3', 'Int64', 'Compression level for HTTP responses'),
  S('wait_end_of_query', '0', 'Bool', 'Buffer the whole HTTP response before sending'),
  S('send_logs_level', 'fatal', 'String', 'Server log level sent to clients'),
  S('asterisk_include_reserved_columns', '0', 'Bool', 'SELECT * includes reserved columns such as _tp_time'),
  S('dialect', 'clickhouse', 'String', "'clickhouse' or 'proton': Proton prints predicates as bool (true/false) and type names in lower snake case"),
  S('query_mode', '', 'String', "Proton: 'table' makes stream reads historical; otherwise a stream read is unbounded (streaming)"),
  S('seek_to', '', 'String', "Proton: where a streaming query starts ('earliest', 'latest', a time)"),
  S('checkpoint_interval', '0', 'UInt64', 'Proton: seconds between the checkpoints of a SUBSCRIBE query (0: 900)'),
  S('enable_positional_arguments', '1', 'Bool', 'GROUP BY / ORDER BY 1 refer to SELECT items'),
  S('union_default_mode', '', 'String', 'Mode of a bare UNION: ALL or DISTINCT'),
  S('allow_experimental_analyzer', '1', 'Bool', 'Compatibility: accepted and ignored'),
  S('insert_deduplicate', '1', 'Bool', 'Compatibility: accepted'),
  S('cloud_mode', '0', 'Bool', 'Compatibility: Metabase asks'),
  S('distributed_product_mode', 'deny', 'String', 'Compatibility: accepted'),
  S('load_balancing', 'random', 'String', 'Compatibility: accepted'),
  S('log_queries', '1', 'Bool', 'Compatibility: accepted'),
  S('mutations_sync', '0', 'UInt64', 'Compatibility: mutations are synchronous in Hadron'),
  S('optimize_throw_if_noop', '0', 'Bool', 'OPTIMIZE throws when nothing was merged'),
  S('output_format_write_statistics', '1', 'Bool', 'JSON formats print statistics'),
  S('max_rows_to_read', '0', 'UInt64', 'Limit on rows read, 0 = unlimited'),
  S('timeout_before_checking_execution_speed', '10', 'Seconds', 'Compatibility: accepted'),
  S('connect_timeout', '10', 'Seconds', 'Compatibility: accepted'),
  S('receive_timeout', '300', 'Seconds', 'Compatibility: accepted'),
  S('send_timeout', '300', 'Seconds', 'Compatibility: accepted'),
  S('use_uncompressed_cache', '0', 'Bool', 'Compatibility: accepted'),
  S('network_compression_method', 'LZ4', 'String', 'Compression of native-protocol blocks'),
  S('enable_optimize_predicate_expression', '1', 'Bool', 'Compatibility: accepted'),
  S('final', '0', 'Bool', 'Apply FINAL to every table read'),
  S('default_format', 'TabSeparated', 'String', 'Output format when the query names none'),
  S('format_display_secondary_rows', '1', 'Bool', 'Compatibility: accepted'),
  S('compile_expressions', '0', 'Bool', 'Compatibility: accepted'),
  S('data_type_default_nullable', '0', 'Bool', 'Columns without NULL/NOT NULL are Nullable'),
  S('eps', '-1', 'Float', 'Proton: rows per second of a random stream read, overriding the stream\'s eps (-1: the stream\'s; 0: unlimited)'),
  S('max_events', '0', 'UInt64', 'Proton: a random stream read ends after this many rows (0: unbounded when streaming, max_block_size for table())'),
];

const byName = new Map(SETTINGS.map((s) => [s.name, s]));

export function settingDef(name: string): SettingDef | undefined {
  return byName.get(name);
}

/**
 * ClickHouse has several hundred settings and clients send many of them; Hadron lists those it acts on and
 * accepts any other snake_case name with an underscore (`merge_tree_min_rows_for_seek`) as a no-op, so only
 * names that cannot be ClickHouse settings (`nonexistent`) are rejected.
 */
const SINGLE_WORD = new Set(['readonly', 'extremes', 'final', 'limit', 'offset', 'priority', 'workload', 'compatibility', 'mode', 'shards', 'timezone']);
function looksLikeClickHouseSetting(name: string): boolean {
  return /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name) || SINGLE_WORD.has(name) || name.startsWith('custom_') || name.startsWith('param_');
}

/** Validates a SET: unknown settings are accepted when they look like ClickHouse's (clients send many), else an error. */
export function checkSetting(name: string): void {
  if (byName.has(name) || looksLikeClickHouseSetting(name)) return;
  throw new DbError('UNKNOWN_SETTING', `Setting ${name} is neither a builtin setting nor started with the prefix 'custom_' registered for user-defined settings`);
}
