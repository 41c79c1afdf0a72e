import { Block, type Header } from '../core/block.js';
import { columnFromValues } from '../columns/builder.js';
import type { Value } from '../columns/values.js';
import { T, dateTime64Type } from '../types/data-type.js';
import { BlocksSource } from '../exec/operators/sources.js';
import type { Catalog } from '../catalog/catalog.js';
import type { TableEntry } from '../catalog/table-entry.js';
import { registerSystemTables, type SystemContext } from '../catalog/system/system-tables.js';
import type { PlanNode } from '../planner/plan-node.js';
import type { FromItem, Query } from '../sql/ast.js';
import { parseStatement } from '../sql/index.js';
import { DEFAULT_RUNNER_OPTIONS, MaterializedViewRunner, type MaterializedViewHost, type RunnerOptions } from './materialized-view-runner.js';

const byCatalog = new WeakMap<Catalog, MaterializedViews>();

/** The materialized views of the engine that owns `catalog` (undefined without an engine: no views can run). */
export function materializedViewsOf(catalog: Catalog): MaterializedViews | undefined {
  return byCatalog.get(catalog);
}

/** Every table a query reads (FROM, JOIN, subqueries, CTEs, table(), tumble(), hop() …), as [database, name]. */
export function tablesReadBy(query: Query, currentDatabase: string): [string, string][] {
  const out: [string, string][] = [];
  const ctes = new Set<string>();
  const fromItem = (f: FromItem | undefined): void => {
    if (!f) return;
    switch (f.kind) {
      case 'table':
        if (f.database || !ctes.has(f.name)) out.push([f.database ?? currentDatabase, f.name]);
        break;
      case 'table_function': {
        const a = f.args[0];
        if (a?.kind === 'identifier') {
          const p = a.parts;
          if (p.length > 1) out.push([p[0]!, p.slice(1).join('.')]);
          else if (!ctes.has(p[0]!)) out.push([currentDatabase, p[0]!]);
        } else if (a?.kind === 'subquery') visit(a.query);
        break;
      }
      case 'subquery':
        visit(f.query);
        break;
      case 'join':
        fromItem(f.left);
        fromItem(f.right);
        break;
      case 'array_join':
        fromItem(f.left);
        break;
    }
  };
  const visit = (q: Query): void => {
    if (q.kind === 'set_operation') {
      visit(q.left);
      visit(q.right);
      return;
    }
    for (const w of q.with ?? []) {
      if (w.query) {
        visit(w.query);
        ctes.add(w.name);
      }
    }
    fromItem(q.from);
  };
  visit(query);
  return out;
}

export interface MaterializedViewDependency {
  readonly view: TableEntry;
  /** The view reads the table, or writes into it. */
  readonly how: 'source' | 'target';
}

/** The running materialized views of one engine. */
export class MaterializedViews {
  private readonly runners = new Map<string, MaterializedViewRunner>();

  constructor(
    readonly catalog: Catalog,
    readonly host: MaterializedViewHost,
    readonly options: RunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {
    byCatalog.set(catalog, this);
  }

  /** Starts every materialized view in the catalog (engine start): each resumes from its checkpoint. */
  startAll(): void {
    for (const db of this.catalog.databases.values()) {
      for (const t of db.tables.values()) if (t.kind === 'materialized_view') this.start(t);
    }
  }

  start(entry: TableEntry): MaterializedViewRunner {
    let r = this.runners.get(entry.uuid);
    if (!r) {
      r = new MaterializedViewRunner(entry, this.host, this.options);
      this.runners.set(entry.uuid, r);
      r.start();
    }
    return r;
  }

  runner(entry: TableEntry): MaterializedViewRunner | undefined {
    return this.runners.get(entry.uuid);
  }

  /** DROP: stops the view and deletes its checkpoint. */
  async drop(entry: TableEntry): Promise<void> {
    const r = this.runners.get(entry.uuid);
    this.runners.delete(entry.uuid);
    if (r) await r.drop();
  }

  /** Clean shutdown: every view stops and checkpoints where it got to. */
  async stopAll(): Promise<void> {
    const all = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(all.map((r) => r.stop(true)));
  }

  /** Materialized views that read `database.name` or write into it. */
  dependents(database: string, name: string): MaterializedViewDependency[] {
    const out: MaterializedViewDependency[] = [];
    for (const db of this.catalog.databases.values()) {
      for (const t of db.tables.values()) {
        // Views and materialized views depend on what they read; materialized views also on their target.
        if ((t.kind !== 'materialized_view' && t.kind !== 'view') || (t.database === database && t.name === name)) continue;
        if (t.target && t.target.database === database && t.target.name === name) {
          out.push({ view: t, how: 'target' });
          continue;
        }
        let reads: [string, string][] = [];
        try {
          reads = tablesReadBy(parseStatement(t.viewQuery ?? '') as Query, t.database);
        } catch {
          /* an unparsable definition depends on nothing we can name */
        }
        if (reads.some(([d, n]) => d === database && n === name)) out.push({ view: t, how: 'source' });
      }
    }
    return out;
  }

  statusRows(): Value[][] {
    const rows: Value[][] = [];
    for (const db of this.catalog.databases.values()) {
      for (const t of db.tables.values()) {
        if (t.kind !== 'materialized_view') continue;
        const r = this.runners.get(t.uuid);
        const target = t.target ? `${t.target.database}.${t.target.name}` : `${t.database}.${t.name}`;
        rows.push([
          t.database,
          t.name,
          t.uuid,
          target,
          r?.status ?? 'stopped',
          BigInt(r?.processedSn ?? -1),
          BigInt(r?.checkpointSn ?? -1),
          r?.lastCheckpointMs ?? 0,
          BigInt(r?.checkpoints ?? 0),
          BigInt(r?.checkpointBytes ?? 0),
          BigInt(r?.emittedRows ?? 0),
          BigInt(r?.starts ?? 0),
          BigInt(r?.errorCount ?? 0),
          r?.lastError ?? '',
          r?.lastErrorTimeMs ?? 0,
          t.viewQuery ?? '',
        ]);
      }
    }
    return rows;
  }
}

const STATUS_COLUMNS: [string, Header[number]['type']][] = [
  ['database', T.String],
  ['name', T.String],
  ['uuid', T.UUID],
  ['target', T.String],
  ['status', T.String],
  ['processed_sn', T.Int64],
  ['checkpoint_sn', T.Int64],
  ['last_checkpoint_time', dateTime64Type(3, 'UTC')],
  ['checkpoints', T.UInt64],
  ['checkpoint_bytes', T.UInt64],
  ['emitted_rows', T.UInt64],
  ['starts', T.UInt64],
  ['errors', T.UInt64],
  ['last_error', T.String],
  ['last_error_time', dateTime64Type(3, 'UTC')],
  ['query', T.String],
];

/** `system.materialized_views`: one row per materialized view with its background query's state. */
function statusTable(ctx: SystemContext, database: string, name: string): PlanNode | undefined {
  if (database.toLowerCase() !== 'system' || name !== 'materialized_views') return undefined;
  const header: Header = STATUS_COLUMNS.map(([n, type]) => ({ name: n, type }));
  return new BlocksSource(
    header,
    () => {
      const rows = materializedViewsOf(ctx.catalog)?.statusRows() ?? [];
      return [new Block(header, header.map((c, i) => columnFromValues(c.type, rows.map((r) => r[i] ?? null))), rows.length)];
    },
    'ReadFromSystem (materialized_views)',
  );
}

registerSystemTables(statusTable);
