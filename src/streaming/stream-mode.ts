import type { TableEntry } from '../catalog/table-entry.js';
import type { PlanNode } from '../planner/plan-node.js';
import { DbError } from '../errors/index.js';

/**
 * Proton's data revision modes (`SETTINGS mode=…`):
 * - `append`: an append-only log (the default);
 * - `changelog`: rows carry `_tp_delta` (+1 insert, −1 retract);
 * - `changelog_kv`: a changelog with a primary key; in history a −1 cancels the key's newest +1 row (collapsing);
 * - `versioned_kv`: a primary key and a version column (default `_tp_time`): a new version of a key replaces
 *   the old one. Streaming aggregations see a replacement as −1 old row, +1 new row.
 */
export type StreamModeName = 'append' | 'changelog' | 'changelog_kv' | 'versioned_kv';

export interface StreamMode {
  readonly mode: StreamModeName;
  readonly primaryKey: readonly string[];
  /** The column whose largest value marks a key's latest row (`_tp_time` unless version_column says otherwise). */
  readonly versionColumn: string;
  /** How many versions of a key the historical store keeps (informational: reads return the latest). */
  readonly keepVersions: number;
}

export const DELTA_COLUMN = '_tp_delta';

/**
 * Plans of subqueries and views that pass a changelog's `_tp_delta` on without selecting it: the query reading
 * them can use it, but `*` does not show it.
 */
export const IMPLICIT_DELTA = new WeakSet<PlanNode>();
const MODES: readonly StreamModeName[] = ['append', 'changelog', 'changelog_kv', 'versioned_kv'];

export function parseStreamMode(value: string | undefined): StreamModeName {
  const m = (value ?? 'append').trim().toLowerCase() || 'append';
  if (!(MODES as readonly string[]).includes(m)) {
    throw new DbError('INVALID_SETTING_VALUE', `Invalid stream mode '${value}': expected one of ${MODES.join(', ')}`);
  }
  return m as StreamModeName;
}

export function streamModeOf(entry: Pick<TableEntry, 'kind' | 'settings' | 'primaryKey'>): StreamMode {
  const s = entry.settings;
  const mode = entry.kind === 'stream' || entry.kind === 'materialized_view' ? parseStreamMode(s['mode']) : 'append';
  return {
    mode,
    primaryKey: isKeyed(mode) ? entry.primaryKey : [],
    versionColumn: s['version_column']?.trim() || '_tp_time',
    keepVersions: Math.max(1, Number(s['keep_versions'] ?? 1) || 1),
  };
}

/** Modes whose rows carry `_tp_delta`. */
export function hasDeltaColumn(mode: StreamModeName): boolean {
  return mode !== 'append';
}

/** Modes with a primary key: reads merge each key's rows into its latest version. */
export function isKeyed(mode: StreamModeName): boolean {
  return mode === 'changelog_kv' || mode === 'versioned_kv';
}

/**
 * Whether a plan's rows form a changelog (their `_tp_delta` retracts), by what produces them: a changelog or
 * key-value stream, `changelog()`, an EMIT CHANGELOG aggregation, a join of changelogs. A column merely named
 * `_tp_delta` (a materialized view's own storage) is data, as in Proton. Nodes say so with a `changelog` flag;
 * row-wise nodes in between pass it on; any other aggregation ends it.
 */
export function isChangelogPlan(node: PlanNode): boolean {
  for (let n: PlanNode | undefined = node; n; n = n.children.length === 1 ? n.children[0] : undefined) {
    const flag = (n as { changelog?: unknown }).changelog;
    if (typeof flag === 'boolean') return flag;
    if ('aggregates' in n) return false;
  }
  return false;
}
