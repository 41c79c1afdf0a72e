import { settingDef } from '../../src/server/settings.js';

/** Postgres run-time parameters of one connection (what SET / SHOW / RESET act on). */
export const PG_SERVER_VERSION = '14.0';

/** Parameters reported in ParameterStatus at startup and whenever they change. */
export const REPORTED = ['server_version', 'server_encoding', 'client_encoding', 'DateStyle', 'IntervalStyle', 'integer_datetimes', 'standard_conforming_strings', 'TimeZone', 'application_name', 'is_superuser', 'session_authorization'];

export class PgParameters {
  private readonly values = new Map<string, { name: string; value: string }>();
  private readonly defaults = new Map<string, string>();

  constructor(timezone: string, user: string, startup: ReadonlyMap<string, string>) {
    const init: [string, string][] = [
      ['server_version', PG_SERVER_VERSION],
      ['server_version_num', '140000'],
      ['server_encoding', 'UTF8'],
      ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'],
      ['IntervalStyle', 'postgres'],
      ['integer_datetimes', 'on'],
      ['standard_conforming_strings', 'on'],
      ['TimeZone', timezone],
      ['application_name', ''],
      ['is_superuser', 'on'],
      ['session_authorization', user],
      ['transaction_isolation', 'read committed'],
      ['default_transaction_isolation', 'read committed'],
      ['transaction_read_only', 'off'],
      ['extra_float_digits', '1'],
      ['max_identifier_length', '63'],
      ['lc_collate', 'C'],
      ['lc_ctype', 'C'],
      ['search_path', '"$user", public'],
      ['statement_timeout', '0'],
      ['bytea_output', 'hex'],
    ];
    for (const [k, v] of init) {
      this.values.set(k.toLowerCase(), { name: k, value: v });
      this.defaults.set(k.toLowerCase(), v);
    }
    for (const [k, v] of startup) {
      if (['user', 'database', 'replication', 'options'].includes(k)) continue;
      this.set(k, v);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.value;
  }

  /** Sets a parameter; returns the canonical name when it is reported to the client. */
  set(name: string, value: string): string | undefined {
    const key = name.toLowerCase();
    const canonical = this.values.get(key)?.name ?? name;
    const v = value === 'DEFAULT' ? (this.defaults.get(key) ?? '') : value;
    this.values.set(key, { name: canonical, value: v });
    return REPORTED.find((r) => r.toLowerCase() === key);
  }

  reset(name: string): string | undefined {
    return this.set(name, 'DEFAULT');
  }

  resetAll(): string[] {
    const changed: string[] = [];
    for (const [k, d] of this.defaults) {
      if (this.values.get(k)?.value !== d) {
        const r = this.set(k, d);
        if (r) changed.push(r);
      }
    }
    return changed;
  }

  all(): { name: string; value: string }[] {
    return [...this.values.values()];
  }

  /** True when the name is one of the engine's own settings (it goes to the session as well). */
  static isEngineSetting(name: string): boolean {
    return settingDef(name) !== undefined;
  }
}
