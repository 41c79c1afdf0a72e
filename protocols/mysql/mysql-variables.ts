/**
 * MySQL system variables as the clients read them (`@@x`, `SHOW VARIABLES`): fixed server facts plus the
 * session's own values after `SET`. They describe the protocol session only; engine settings stay separate.
 */

export type VariableValue = string | number | null;

interface VariableSpec {
  readonly value: VariableValue;
  /** SHOW VARIABLES prints ON / OFF for these (`@@x` still reads 1 / 0). */
  readonly bool?: boolean;
}

export interface ServerFactsForVariables {
  readonly version: string;
  readonly timezone: string;
  readonly port: number;
  readonly hostname: string;
}

export const SQL_MODE_DEFAULT = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

function defaults(f: ServerFactsForVariables): Map<string, VariableSpec> {
  const v = (value: VariableValue, bool?: boolean): VariableSpec => ({ value, bool });
  return new Map<string, VariableSpec>([
    ['auto_increment_increment', v(1)],
    ['auto_increment_offset', v(1)],
    ['autocommit', v(1, true)],
    ['character_set_client', v('utf8mb4')],
    ['character_set_connection', v('utf8mb4')],
    ['character_set_database', v('utf8mb4')],
    ['character_set_filesystem', v('binary')],
    ['character_set_results', v('utf8mb4')],
    ['character_set_server', v('utf8mb4')],
    ['character_set_system', v('utf8mb3')],
    ['collation_connection', v('utf8mb4_general_ci')],
    ['collation_database', v('utf8mb4_general_ci')],
    ['collation_server', v('utf8mb4_general_ci')],
    ['default_authentication_plugin', v('mysql_native_password')],
    ['default_storage_engine', v('MergeTree')],
    ['storage_engine', v('MergeTree')],
    ['div_precision_increment', v(4)],
    ['error_count', v(0)],
    ['explicit_defaults_for_timestamp', v(1, true)],
    ['foreign_key_checks', v(1, true)],
    ['group_concat_max_len', v(1024)],
    ['have_openssl', v('DISABLED')],
    ['have_ssl', v('DISABLED')],
    ['hostname', v(f.hostname)],
    ['identity', v(0)],
    ['init_connect', v('')],
    ['interactive_timeout', v(28800)],
    ['last_insert_id', v(0)],
    ['lc_messages', v('en_US')],
    ['license', v('Apache-2.0')],
    ['lower_case_table_names', v(0)],
    ['max_allowed_packet', v(67108864)],
    ['max_connections', v(1024)],
    ['max_execution_time', v(0)],
    ['net_buffer_length', v(16384)],
    ['net_read_timeout', v(30)],
    ['net_write_timeout', v(60)],
    ['performance_schema', v(0, true)],
    ['port', v(f.port)],
    ['protocol_version', v(10)],
    ['query_cache_size', v(0)],
    ['query_cache_type', v('OFF')],
    ['read_only', v(0, true)],
    ['session_track_schema', v(0, true)],
    ['sql_auto_is_null', v(0, true)],
    ['sql_mode', v(SQL_MODE_DEFAULT)],
    ['sql_safe_updates', v(0, true)],
    ['sql_select_limit', v('18446744073709551615')],
    ['system_time_zone', v(f.timezone)],
    ['time_zone', v('SYSTEM')],
    ['transaction_isolation', v('REPEATABLE-READ')],
    ['transaction_read_only', v(0, true)],
    ['tx_isolation', v('REPEATABLE-READ')],
    ['tx_read_only', v(0, true)],
    ['unique_checks', v(1, true)],
    ['version', v(f.version)],
    ['version_comment', v('Hadron')],
    ['version_compile_machine', v(process.arch === 'arm64' ? 'aarch64' : 'x86_64')],
    ['version_compile_os', v('Linux')],
    ['wait_timeout', v(28800)],
    ['warning_count', v(0)],
  ]);
}

/** Variables that are one value under two names. */
const ALIASES: Record<string, string> = { tx_isolation: 'transaction_isolation', tx_read_only: 'transaction_read_only', storage_engine: 'default_storage_engine' };

export class MysqlVariables {
  private readonly specs: Map<string, VariableSpec>;
  private readonly session = new Map<string, VariableValue>();

  constructor(facts: ServerFactsForVariables) {
    this.specs = defaults(facts);
  }

  has(name: string): boolean {
    return this.specs.has(name.toLowerCase());
  }

  get(name: string): VariableValue {
    const key = name.toLowerCase();
    const canonical = ALIASES[key] ?? key;
    if (this.session.has(canonical)) return this.session.get(canonical)!;
    return this.specs.get(canonical)?.value ?? this.specs.get(key)?.value ?? null;
  }

  set(name: string, value: VariableValue): void {
    const key = name.toLowerCase();
    const canonical = ALIASES[key] ?? key;
    const spec = this.specs.get(canonical);
    if (spec?.bool && value !== null) value = toBool(value) ? 1 : 0;
    else if (spec && typeof spec.value === 'number' && typeof value === 'string' && /^-?\d+$/.test(value)) value = Number(value);
    this.session.set(canonical, value);
  }

  /** Every variable as SHOW VARIABLES prints it, sorted by name. */
  list(): [string, string][] {
    return [...this.specs.keys()].sort().map((name) => [name, this.display(name)]);
  }

  display(name: string): string {
    const v = this.get(name);
    if (v === null) return '';
    if (this.specs.get(name)?.bool) return v ? 'ON' : 'OFF';
    return String(v);
  }

  get autocommit(): boolean {
    return this.get('autocommit') !== 0;
  }
}

function toBool(v: string | number): boolean {
  if (typeof v === 'number') return v !== 0;
  return /^(1|on|true|yes)$/i.test(v.trim());
}
