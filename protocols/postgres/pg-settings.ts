import type { Value } from '../../src/columns/values.js';
import type { Header } from '../../src/core/block.js';
import { SETTINGS } from '../../src/server/settings.js';
import { quoteString } from '../../src/sql/index.js';
import { T } from '../../src/types/data-type.js';
import { PgStateError } from './sqlstate.js';
import { PgParameters } from './pg-parameters.js';
import { databaseOf } from './dialect-rewrite.js';
import type { QueryExecutor } from './query-executor.js';

/**
 * SET / RESET / SHOW over a connection's Postgres parameters. The engine's own settings (max_block_size, …)
 * go to the session too; TimeZone becomes the session's session_timezone and search_path its database.
 */
export class PgSettings {
  constructor(private readonly x: QueryExecutor) {}

  private async engineSet(name: string, value: string): Promise<void> {
    const r = await this.x.session.execute({ sql: `SET ${name} = ${quoteString(value)}` });
    for await (const _ of r.blocks) {
      /* SET has no rows */
    }
  }

  async set(name: string, value: string): Promise<void> {
    const key = name.toLowerCase();
    if (key === 'timezone') {
      const tz = value === 'DEFAULT' ? '' : value;
      await this.engineSet('session_timezone', tz);
      this.apply('TimeZone', value === 'DEFAULT' ? this.x.engine.timezone : value);
      return;
    }
    if (key === 'statement_timeout') {
      // Postgres' statement_timeout (ms, or with a unit) is the engine's max_execution_time (seconds).
      const ms = value === 'DEFAULT' ? 0 : durationMs(value);
      if (ms === undefined) throw new PgStateError('22023', 'BAD_ARGUMENTS', `invalid value for parameter "statement_timeout": "${value}"`);
      await this.engineSet('max_execution_time', String(ms / 1000));
      this.apply('statement_timeout', value === 'DEFAULT' ? '0' : value);
      return;
    }
    if (key === 'search_path') {
      const first = value.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1')).find((s) => s !== '$user' && s !== 'pg_catalog');
      if (first && this.x.engine.catalog.databases.has(databaseOf(first))) {
        const r = await this.x.session.execute({ sql: `USE \`${databaseOf(first).replace(/`/g, '\\`')}\`` });
        for await (const _ of r.blocks) {
          /* USE has no rows */
        }
      }
      this.apply('search_path', value);
      return;
    }
    if (PgParameters.isEngineSetting(name)) {
      await this.engineSet(name, value === 'DEFAULT' ? (SETTINGS.find((s) => s.name === name)?.default ?? '') : value);
      return;
    }
    this.apply(name, value);
  }

  private apply(name: string, value: string): void {
    const reported = this.x.params.set(name, value);
    if (reported) this.x.report(reported, this.x.params.get(name) ?? '');
  }

  async reset(name: string): Promise<void> {
    if (name === 'ALL') {
      for (const r of this.x.params.resetAll()) this.x.report(r, this.x.params.get(r) ?? '');
      return;
    }
    await this.set(name, 'DEFAULT');
  }

  show(name: string): { header: Header; rows: Value[][] } {
    if (name === 'all') {
      const rows: Value[][] = this.x.params.all().map((p) => [p.name, p.value, '']);
      const session = this.x.session.settings();
      for (const s of SETTINGS) rows.push([s.name, session.get(s.name) ?? s.default, s.description]);
      return { header: [{ name: 'name', type: T.String }, { name: 'setting', type: T.String }, { name: 'description', type: T.String }], rows };
    }
    let value = this.x.params.get(name);
    if (value === undefined) {
      const def = SETTINGS.find((s) => s.name === name);
      if (!def) throw new PgStateError('42704', 'UNKNOWN_SETTING', `unrecognized configuration parameter "${name}"`);
      value = this.x.session.settings().get(name) ?? def.default;
    }
    return { header: [{ name, type: T.String }], rows: [[value]] };
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** `5000`, `'5s'`, `'250ms'`, `'1min'` → milliseconds. */
function durationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
}
