import { Block, type Header } from '../../core/block.js';
import { columnFromValues } from '../../columns/builder.js';
import type { Value } from '../../columns/values.js';
import { T, arrayType, dateTimeType, nullableType, type DataType } from '../../types/data-type.js';
import { dataTypeFamilies } from '../../types/type-factory.js';
import { BlocksSource, NumbersSource, OneRowSource } from '../../exec/operators/sources.js';
import type { PlanNode } from '../../planner/plan-node.js';
import type { Catalog } from '../catalog.js';
import type { TableEntry } from '../table-entry.js';
import { renderCreateQuery } from '../show-create.js';
import { SETTINGS } from '../../server/settings.js';
import type { FunctionListing } from '../../functions/registry.js';

/** What system tables read from the running server. */
export interface SystemContext {
  readonly catalog: Catalog;
  readonly functions: () => FunctionListing[];
  readonly formats: () => { name: string; isInput: boolean; isOutput: boolean }[];
  readonly settings: () => ReadonlyMap<string, string>;
  readonly processes: () => {
    queryId: string; user: string; query: string; elapsedMs: number; readRows: number; readBytes: number; address: string; interface: string;
    totalRowsApprox?: number; writtenRows?: number; writtenBytes?: number; isCancelled?: boolean; lateEvents?: number;
  }[];
  readonly currentDatabase: string;
  readonly tableEngines: readonly string[];
}

type Col = [name: string, type: DataType];

function table(cols: Col[], rows: Value[][], label: string): PlanNode {
  const header: Header = cols.map(([name, type]) => ({ name, type }));
  return new BlocksSource(
    header,
    () => {
      const columns = header.map((c, i) => columnFromValues(c.type, rows.map((r) => r[i] ?? null)));
      return [new Block(header, columns, rows.length)];
    },
    `ReadFromSystem (${label})`,
  );
}

function allTables(ctx: SystemContext): TableEntry[] {
  const out: TableEntry[] = [];
  for (const db of ctx.catalog.databases.values()) for (const t of db.tables.values()) out.push(t);
  return out;
}

const SYSTEM_TABLE_NAMES = [
  'one', 'numbers', 'numbers_mt', 'zeros', 'databases', 'tables', 'columns', 'functions', 'settings', 'formats',
  'data_type_families', 'table_engines', 'processes', 'parts', 'table_functions', 'warnings', 'build_options',
  'aggregate_function_combinators', 'keywords', 'users', 'clusters', 'merge_tree_settings', 'disks', 'errors',
];

/** A resolver for system tables defined outside this file (pg_catalog); undefined = not one of its tables. */
export type SystemTableResolver = (ctx: SystemContext, database: string, name: string) => PlanNode | undefined;

const extraResolvers: SystemTableResolver[] = [];

/** Registers more system tables (pg_catalog for the Postgres protocol); consulted before the built-in ones. */
export function registerSystemTables(resolver: SystemTableResolver): void {
  if (!extraResolvers.includes(resolver)) extraResolvers.push(resolver);
}

export function systemTable(ctx: SystemContext, database: string, name: string): PlanNode | undefined {
  for (const r of extraResolvers) {
    const node = r(ctx, database, name);
    if (node) return node;
  }
  const db = database.toLowerCase();
  if (db === 'information_schema') return informationSchema(ctx, name.toLowerCase());
  if (db !== 'system') return undefined;
  switch (name) {
    case 'one':
      return new OneRowSource();
    case 'numbers':
    case 'numbers_mt':
      return new NumbersSource(0, Infinity);
    case 'zeros':
      return new NumbersSource(0, Infinity, 'zero', true);
    case 'databases':
      return table(
        [['name', T.String], ['engine', T.String], ['data_path', T.String], ['metadata_path', T.String], ['uuid', T.UUID], ['engine_full', T.String], ['comment', T.String]],
        [...ctx.catalog.databases.values()].map((d) => [d.name, d.engine, '', '', d.uuid, d.engine, d.comment]),
        'databases',
      );
    case 'tables':
      return table(
        [
          ['database', T.String], ['name', T.String], ['uuid', T.UUID], ['engine', T.String], ['is_temporary', T.UInt8],
          ['data_paths', arrayType(T.String)], ['metadata_path', T.String], ['metadata_modification_time', dateTimeType()],
          ['dependencies_database', arrayType(T.String)], ['dependencies_table', arrayType(T.String)], ['create_table_query', T.String],
          ['engine_full', T.String], ['as_select', T.String], ['partition_key', T.String], ['sorting_key', T.String],
          ['primary_key', T.String], ['sampling_key', T.String], ['storage_policy', T.String],
          ['total_rows', nullableType(T.UInt64)], ['total_bytes', nullableType(T.UInt64)], ['comment', T.String],
          ['has_own_data', T.UInt8],
        ],
        allTables(ctx).map((t) => {
          const st = t.storage?.stats();
          return [
            t.database, t.name, t.uuid, t.engine, t.temporary ? 1 : 0, [], '', Math.floor(t.metadataModificationTimeMs / 1000), [], [],
            renderCreateQuery(t), engineFull(t), t.viewQuery ?? '', t.partitionBy ?? '', t.orderBy.join(', '), t.primaryKey.join(', '), '', '',
            st ? BigInt(st.rows) : null, st ? BigInt(st.bytes) : null, t.comment, t.storage ? 1 : 0,
          ];
        }),
        'tables',
      );
    case 'columns': {
      const rows: Value[][] = [];
      for (const t of allTables(ctx)) {
        t.columns.forEach((c, i) => {
          const prec = numericPrecision(c.type);
          rows.push([
            t.database, t.name, c.name, c.type.name, BigInt(i + 1), c.defaultKind ?? '', c.defaultExpr ?? '', 0n, 0n, 0n, '',
            c.comment ?? '', t.partitionBy?.includes(c.name) ? 1 : 0, t.orderBy.includes(c.name) ? 1 : 0, t.primaryKey.includes(c.name) ? 1 : 0, 0,
            c.codec ?? '', '', c.type.kind === 'String' ? null : null, prec?.precision ?? null, prec ? 10 : null, prec?.scale ?? null, null,
          ]);
        });
      }
      return table(
        [
          ['database', T.String], ['table', T.String], ['name', T.String], ['type', T.String], ['position', T.UInt64],
          ['default_kind', T.String], ['default_expression', T.String], ['data_compressed_bytes', T.UInt64], ['data_uncompressed_bytes', T.UInt64],
          ['marks_bytes', T.UInt64], ['comment_', T.String], ['comment', T.String], ['is_in_partition_key', T.UInt8], ['is_in_sorting_key', T.UInt8],
          ['is_in_primary_key', T.UInt8], ['is_in_sampling_key', T.UInt8], ['compression_codec', T.String], ['ttl_expression', T.String],
          ['character_octet_length', nullableType(T.UInt64)], ['numeric_precision', nullableType(T.UInt64)], ['numeric_precision_radix', nullableType(T.UInt64)],
          ['numeric_scale', nullableType(T.UInt64)], ['datetime_precision', nullableType(T.UInt64)],
        ].filter(([n]) => n !== 'comment_') as Col[],
        rows.map((r) => [...r.slice(0, 10), ...r.slice(11)]),
        'columns',
      );
    }
    case 'functions':
      return table(
        [
          ['name', T.String], ['is_aggregate', T.UInt8], ['case_insensitive', T.UInt8], ['alias_to', T.String], ['create_query', T.String],
          ['origin', T.String], ['description', T.String], ['syntax', T.String], ['arguments', T.String], ['returned_value', T.String],
          ['examples', T.String], ['categories', T.String],
        ],
        ctx.functions().map((f) => [f.name, f.isAggregate ? 1 : 0, f.caseInsensitive ? 1 : 0, f.aliasTo, f.createQuery ?? '', f.origin ?? 'System', f.description, f.syntax, f.arguments, f.returnedValue, f.examples, f.category]),
        'functions',
      );
    case 'settings': {
      const current = ctx.settings();
      return table(
        [['name', T.String], ['value', T.String], ['changed', T.UInt8], ['description', T.String], ['min', nullableType(T.String)], ['max', nullableType(T.String)], ['readonly', T.UInt8], ['type', T.String], ['default', T.String], ['is_obsolete', T.UInt8]],
        SETTINGS.map((s) => {
          const v = current.get(s.name) ?? s.default;
          return [s.name, v, v !== s.default ? 1 : 0, s.description, null, null, 0, s.type, s.default, 0];
        }),
        'settings',
      );
    }
    case 'formats':
      return table([['name', T.String], ['is_input', T.UInt8], ['is_output', T.UInt8]], ctx.formats().map((f) => [f.name, f.isInput ? 1 : 0, f.isOutput ? 1 : 0]), 'formats');
    case 'data_type_families':
      return table([['name', T.String], ['case_insensitive', T.UInt8], ['alias_to', T.String]], dataTypeFamilies().map((f) => [f.name, f.caseInsensitive ? 1 : 0, f.aliasTo]), 'data_type_families');
    case 'table_engines':
      return table(
        [['name', T.String], ['supports_settings', T.UInt8], ['supports_skipping_indices', T.UInt8], ['supports_projections', T.UInt8], ['supports_sort_order', T.UInt8], ['supports_ttl', T.UInt8], ['supports_replication', T.UInt8], ['supports_deduplication', T.UInt8], ['supports_parallel_insert', T.UInt8]],
        ctx.tableEngines.map((e) => [e, 1, 0, 0, e.includes('MergeTree') || e === 'Stream' ? 1 : 0, e.includes('MergeTree') || e === 'Stream' ? 1 : 0, 0, 0, 1]),
        'table_engines',
      );
    case 'table_functions':
      return table([['name', T.String], ['description', T.String]], ['numbers', 'numbers_mt', 'zeros', 'zeros_mt', 'table', 'view', 'values', 'null'].map((n) => [n, '']), 'table_functions');
    case 'processes':
      return table(
        [['query_id', T.String], ['user', T.String], ['query', T.String], ['elapsed', T.Float64], ['read_rows', T.UInt64], ['read_bytes', T.UInt64], ['address', T.String], ['interface', T.String], ['is_initial_query', T.UInt8],
          ['is_cancelled', T.UInt8], ['total_rows_approx', T.UInt64], ['written_rows', T.UInt64], ['written_bytes', T.UInt64], ['late_events', T.UInt64]],
        ctx.processes().map((p) => [p.queryId, p.user, p.query, p.elapsedMs / 1000, BigInt(p.readRows), BigInt(p.readBytes), p.address, p.interface, 1,
          p.isCancelled ? 1 : 0, BigInt(p.totalRowsApprox ?? 0), BigInt(p.writtenRows ?? 0), BigInt(p.writtenBytes ?? 0), BigInt(p.lateEvents ?? 0)]),
        'processes',
      );
    case 'parts': {
      const rows: Value[][] = [];
      for (const t of allTables(ctx)) {
        for (const p of t.storage?.parts() ?? []) {
          rows.push([t.database, t.name, p.name, p.partition, p.active ? 1 : 0, BigInt(p.rows), BigInt(p.bytesOnDisk), Math.floor(p.modificationTimeMs / 1000), BigInt(p.level), p.minSn, p.maxSn]);
        }
      }
      return table(
        [['database', T.String], ['table', T.String], ['name', T.String], ['partition', T.String], ['active', T.UInt8], ['rows', T.UInt64], ['bytes_on_disk', T.UInt64], ['modification_time', dateTimeType()], ['level', T.UInt32], ['min_block_number', T.Int64], ['max_block_number', T.Int64]],
        rows,
        'parts',
      );
    }
    case 'warnings':
      return table([['message', T.String]], [], 'warnings');
    case 'metrics':
      return table(
        [['metric', T.String], ['value', T.Int64], ['description', T.String]],
        [
          ['Query', BigInt(ctx.processes().length), 'Number of executing queries'],
          ['MemoryTracking', BigInt(process.memoryUsage.rss()), 'Resident memory of the server process, in bytes'],
        ],
        'metrics',
      );
    case 'events':
      return table([['event', T.String], ['value', T.UInt64], ['description', T.String]], [], 'events');
    case 'asynchronous_metrics':
      return table(
        [['metric', T.String], ['value', T.Float64], ['description', T.String]],
        [['Uptime', process.uptime(), 'Server uptime in seconds']],
        'asynchronous_metrics',
      );
    case 'aggregate_function_combinators':
      return table([['name', T.String], ['is_internal', T.UInt8]], ['If', 'Array', 'ForEach', 'Distinct', 'OrNull', 'OrDefault', 'State', 'Merge'].map((n) => [n, 0]), 'aggregate_function_combinators');
    case 'keywords':
      return table([['keyword', T.String]], KEYWORDS.map((k) => [k]), 'keywords');
    case 'merge_tree_settings':
      return table([['name', T.String], ['value', T.String], ['description', T.String]], [['index_granularity', '8192', 'Rows per granule']], 'merge_tree_settings');
    case 'build_options':
      return table([['name', T.String], ['value', T.String]], [['VERSION_FULL', 'Hadron'], ['SYSTEM', 'Node.js ' + process.version]], 'build_options');
    case 'users':
      return table([['name', T.String], ['storage', T.String], ['auth_type', T.String]], [['default', 'users.yaml', 'plaintext_password']], 'users');
    case 'clusters':
    case 'disks':
    case 'errors':
      return table([['name', T.String]], [], name);
  }
  return undefined;
}

const KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT', 'INSERT INTO', 'CREATE', 'STREAM', 'TABLE', 'DROP', 'ALTER', 'EMIT', 'SETTINGS', 'FORMAT', 'JOIN', 'UNION ALL', 'WITH', 'HAVING', 'DISTINCT'];

function engineFull(t: TableEntry): string {
  if (t.kind === 'view' || t.kind === 'materialized_view') return t.engine;
  const parts = [t.engine + (t.engineArgs.length ? `(${t.engineArgs.join(', ')})` : t.engine.includes('MergeTree') ? '' : '')];
  if (t.partitionBy) parts.push(`PARTITION BY ${t.partitionBy}`);
  if (t.orderBy.length) parts.push(`ORDER BY ${t.orderBy.length === 1 ? t.orderBy[0] : `(${t.orderBy.join(', ')})`}`);
  return parts.join(' ');
}

function numericPrecision(t: DataType): { precision: number; scale: number } | undefined {
  const b = t.kind === 'Nullable' || t.kind === 'LowCardinality' ? t.inner : t;
  switch (b.kind) {
    case 'Decimal':
      return { precision: b.precision, scale: b.scale };
    case 'Int8': case 'UInt8': return { precision: 8, scale: 0 };
    case 'Int16': case 'UInt16': return { precision: 16, scale: 0 };
    case 'Int32': case 'UInt32': return { precision: 32, scale: 0 };
    case 'Int64': case 'UInt64': return { precision: 64, scale: 0 };
    case 'Float32': return { precision: 24, scale: 0 };
    case 'Float64': return { precision: 53, scale: 0 };
    default:
      return undefined;
  }
}

function informationSchema(ctx: SystemContext, name: string): PlanNode | undefined {
  switch (name) {
    case 'schemata':
      return table(
        [['catalog_name', T.String], ['schema_name', T.String], ['schema_owner', T.String], ['default_character_set_catalog', nullableType(T.String)], ['default_character_set_schema', nullableType(T.String)], ['default_character_set_name', nullableType(T.String)], ['sql_path', nullableType(T.String)]],
        [...ctx.catalog.databases.values()].map((d) => [d.name, d.name, 'default', null, null, null, null]),
        'information_schema.schemata',
      );
    case 'tables':
      return table(
        [['table_catalog', T.String], ['table_schema', T.String], ['table_name', T.String], ['table_type', T.String], ['table_comment', T.String]],
        allTables(ctx).map((t) => [t.database, t.database, t.name, t.kind === 'view' || t.kind === 'materialized_view' ? 'VIEW' : t.temporary ? 'LOCAL TEMPORARY' : 'BASE TABLE', t.comment]),
        'information_schema.tables',
      );
    case 'columns': {
      const rows: Value[][] = [];
      for (const t of allTables(ctx)) {
        t.columns.forEach((c, i) => {
          const p = numericPrecision(c.type);
          rows.push([t.database, t.database, t.name, c.name, BigInt(i + 1), c.defaultExpr ?? '', c.type.kind === 'Nullable' ? 'YES' : 'NO', c.type.name, null, null, p ? BigInt(p.precision) : null, p ? 10n : null, p ? BigInt(p.scale) : null, c.comment ?? '', c.type.name]);
        });
      }
      return table(
        [['table_catalog', T.String], ['table_schema', T.String], ['table_name', T.String], ['column_name', T.String], ['ordinal_position', T.UInt64], ['column_default', T.String], ['is_nullable', T.String], ['data_type', T.String], ['character_maximum_length', nullableType(T.UInt64)], ['character_octet_length', nullableType(T.UInt64)], ['numeric_precision', nullableType(T.UInt64)], ['numeric_precision_radix', nullableType(T.UInt64)], ['numeric_scale', nullableType(T.UInt64)], ['column_comment', T.String], ['column_type', T.String]],
        rows,
        'information_schema.columns',
      );
    }
  }
  return undefined;
}

export { SYSTEM_TABLE_NAMES };
