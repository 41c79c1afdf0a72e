import { Block, type Header } from '../../core/block.js';
import { columnFromValues } from '../../columns/builder.js';
import type { Value } from '../../columns/values.js';
import { T, arrayType, nullableType, type DataType } from '../../types/data-type.js';
import { BlocksSource } from '../../exec/operators/sources.js';
import type { PlanNode } from '../../planner/plan-node.js';
import type { TableEntry } from '../table-entry.js';
import { SETTINGS } from '../../server/settings.js';
import { PG_TYPES, pgTypeOf, unwrap } from './pg-types.js';
import { registerSystemTables, type SystemContext } from './system-tables.js';

/**
 * pg_catalog: Postgres' catalog tables as system tables over Hadron's catalog, so Postgres clients (psql,
 * pgjdbc's DatabaseMetaData, psycopg) can read them with ordinary SQL. Hadron databases are Postgres schemas
 * (`default` is shown as `public`); OIDs are stable hashes of names. Unqualified `pg_*` names resolve here when
 * the current database has no table of that name, as pg_catalog is first on Postgres' search path.
 */

export const PG_CATALOG_NAMESPACE = 11;
export const PUBLIC_NAMESPACE = 2200;
export const INFORMATION_SCHEMA_NAMESPACE = 13000;
export const OWNER_OID = 10;
const PG_CLASS_OID = 1259;

function hashOid(s: string, base: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return base + (h % 1_000_000_000);
}

/** The Postgres schema a Hadron database is shown as. */
export function pgSchemaName(database: string): string {
  return database === 'default' ? 'public' : database;
}

export function namespaceOid(database: string): number {
  if (database === 'default') return PUBLIC_NAMESPACE;
  if (database === 'system') return 16385;
  return hashOid('ns:' + database, 20000);
}

export function tableOid(database: string, name: string): number {
  return hashOid(`rel:${database}.${name}`, 1_100_000_000);
}

/** Postgres' own OIDs of its catalog tables (`'pg_class'::regclass` in client queries). */
const CATALOG_OIDS: Readonly<Record<string, number>> = {
  pg_type: 1247, pg_attribute: 1249, pg_proc: 1255, pg_class: 1259, pg_database: 1262, pg_namespace: 2615, pg_constraint: 2606,
  pg_description: 2609, pg_index: 2610, pg_am: 2601, pg_attrdef: 2604, pg_trigger: 2620, pg_collation: 3456, pg_roles: 1260,
};

export function pgCatalogOid(name: string): number {
  return CATALOG_OIDS[name] ?? hashOid('cat:' + name, 4000);
}

export function pgDatabaseOid(name: string): number {
  return name === 'default' ? 16384 : hashOid('db:' + name, 30000);
}

export function procOid(name: string): number {
  return hashOid('proc:' + name, 2_200_000_000);
}

type Col = [name: string, type: DataType];
const OID = T.UInt32;
const NAME = T.String;
const BOOL = T.Bool;
const I2 = T.Int16;
const I4 = T.Int32;
const TEXT = T.String;
const NTEXT = nullableType(T.String);
const TEXTS = nullableType(T.String);

function rowsTable(cols: Col[], rows: () => Value[][], label: string): PlanNode {
  const header: Header = cols.map(([name, type]) => ({ name, type }));
  return new BlocksSource(
    header,
    () => {
      const data = rows();
      return [new Block(header, header.map((c, i) => columnFromValues(c.type, data.map((r) => r[i] ?? null))), data.length)];
    },
    `ReadFromSystem (pg_catalog.${label})`,
  );
}

function allTables(ctx: SystemContext): TableEntry[] {
  const out: TableEntry[] = [];
  for (const db of ctx.catalog.databases.values()) for (const t of db.tables.values()) out.push(t);
  return out;
}

function relkind(t: TableEntry): string {
  switch (t.kind) {
    case 'view':
      return 'v';
    case 'materialized_view':
      return 'm';
    case 'external_stream':
      return 'f';
    default:
      return 'r';
  }
}

function visibleColumns(t: TableEntry) {
  return t.columns.filter((c) => !c.hidden);
}

/** Postgres' format_type() text of a Hadron column type. */
export function formatPgType(type: DataType): string {
  const b = unwrap(type);
  const pg = pgTypeOf(type);
  if (b.kind === 'Decimal') return `numeric(${b.precision},${b.scale})`;
  const names: Record<string, string> = {
    bool: 'boolean', int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', varchar: 'character varying',
    timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone', bpchar: 'character',
  };
  if (pg.elementOid !== undefined) {
    const el = PG_TYPES.find((x) => x.oid === pg.elementOid)!;
    return (names[el.name] ?? el.name) + '[]';
  }
  return names[pg.name] ?? pg.name;
}

function namespaces(ctx: SystemContext): Value[][] {
  const rows: Value[][] = [
    [PG_CATALOG_NAMESPACE, 'pg_catalog', OWNER_OID, null],
    [INFORMATION_SCHEMA_NAMESPACE, 'information_schema', OWNER_OID, null],
  ];
  for (const d of ctx.catalog.databases.values()) {
    if (d.name === 'information_schema' || d.name === 'INFORMATION_SCHEMA') continue;
    rows.push([namespaceOid(d.name), pgSchemaName(d.name), OWNER_OID, null]);
  }
  return rows;
}

function pgTable(ctx: SystemContext, name: string): PlanNode | undefined {
  switch (name) {
    case 'pg_namespace':
      return rowsTable([['oid', OID], ['nspname', NAME], ['nspowner', OID], ['nspacl', TEXTS]], () => namespaces(ctx), name);
    case 'pg_class':
      return rowsTable(
        [
          ['oid', OID], ['relname', NAME], ['relnamespace', OID], ['reltype', OID], ['reloftype', OID], ['relowner', OID], ['relam', OID],
          ['relfilenode', OID], ['reltablespace', OID], ['relpages', I4], ['reltuples', T.Float32], ['relallvisible', I4], ['reltoastrelid', OID],
          ['relhasindex', BOOL], ['relisshared', BOOL], ['relpersistence', TEXT], ['relkind', TEXT], ['relnatts', I2], ['relchecks', I2],
          ['relhasrules', BOOL], ['relhastriggers', BOOL], ['relhassubclass', BOOL], ['relrowsecurity', BOOL], ['relforcerowsecurity', BOOL],
          ['relispopulated', BOOL], ['relreplident', TEXT], ['relispartition', BOOL], ['relrewrite', OID], ['relfrozenxid', OID], ['relminmxid', OID],
          ['relacl', TEXTS], ['reloptions', TEXTS], ['relpartbound', TEXTS],
        ],
        () =>
          allTables(ctx).map((t) => {
            const st = t.storage?.stats();
            return [
              tableOid(t.database, t.name), t.name, namespaceOid(t.database), 0, 0, OWNER_OID, t.kind === 'view' ? 0 : 2, 0, 0, 0, st ? st.rows : 0, 0, 0,
              false, false, t.temporary ? 't' : 'p', relkind(t), visibleColumns(t).length, 0, false, false, false, false, false, true, 'd', false, 0, 0, 0,
              null, null, null,
            ];
          }),
        name,
      );
    case 'pg_attribute':
      return rowsTable(
        [
          ['attrelid', OID], ['attname', NAME], ['atttypid', OID], ['attstattarget', I4], ['attlen', I2], ['attnum', I2], ['attndims', I4],
          ['attcacheoff', I4], ['atttypmod', I4], ['attbyval', BOOL], ['attstorage', TEXT], ['attalign', TEXT], ['attnotnull', BOOL],
          ['atthasdef', BOOL], ['atthasmissing', BOOL], ['attidentity', TEXT], ['attgenerated', TEXT], ['attisdropped', BOOL], ['attislocal', BOOL],
          ['attinhcount', I4], ['attcollation', OID], ['attacl', TEXTS], ['attoptions', TEXTS], ['attfdwoptions', TEXTS],
        ],
        () => {
          const rows: Value[][] = [];
          for (const t of allTables(ctx)) {
            visibleColumns(t).forEach((c, i) => {
              const pg = pgTypeOf(c.type);
              const b = unwrap(c.type);
              const typmod = b.kind === 'Decimal' ? ((b.precision << 16) | b.scale) + 4 : -1;
              rows.push([
                tableOid(t.database, t.name), c.name, pg.oid, -1, pg.size, i + 1, pg.elementOid !== undefined ? 1 : 0, -1, typmod, pg.size > 0 && pg.size <= 8,
                'p', 'i', c.type.kind !== 'Nullable', !!c.defaultExpr, false, '', '', false, true, 0, pg.oid === 25 ? 100 : 0, null, null, null,
              ]);
            });
          }
          return rows;
        },
        name,
      );
    case 'pg_attrdef':
      return rowsTable([['oid', OID], ['adrelid', OID], ['adnum', I2], ['adbin', TEXT]], () => {
        const rows: Value[][] = [];
        for (const t of allTables(ctx)) {
          visibleColumns(t).forEach((c, i) => {
            if (c.defaultExpr) rows.push([hashOid(`def:${t.database}.${t.name}.${c.name}`, 3_000_000_000), tableOid(t.database, t.name), i + 1, c.defaultExpr]);
          });
        }
        return rows;
      }, name);
    case 'pg_type':
      return rowsTable(
        [
          ['oid', OID], ['typname', NAME], ['typnamespace', OID], ['typowner', OID], ['typlen', I2], ['typbyval', BOOL], ['typtype', TEXT],
          ['typcategory', TEXT], ['typispreferred', BOOL], ['typisdefined', BOOL], ['typdelim', TEXT], ['typrelid', OID], ['typelem', OID],
          ['typarray', OID], ['typinput', TEXT], ['typoutput', TEXT], ['typreceive', TEXT], ['typsend', TEXT], ['typmodin', TEXT], ['typmodout', TEXT],
          ['typanalyze', TEXT], ['typalign', TEXT], ['typstorage', TEXT], ['typnotnull', BOOL], ['typbasetype', OID], ['typtypmod', I4],
          ['typndims', I4], ['typcollation', OID], ['typdefaultbin', TEXTS], ['typdefault', TEXTS], ['typacl', TEXTS],
        ],
        () =>
          PG_TYPES.map((t) => {
            const isArray = t.elementOid !== undefined;
            const base = isArray ? t.name.slice(1) : t.name;
            return [
              t.oid, t.name, PG_CATALOG_NAMESPACE, OWNER_OID, t.size, t.size > 0 && t.size <= 8, 'b', isArray ? 'A' : typeCategory(t.name), false, true, ',', 0,
              t.elementOid ?? 0, t.arrayOid, isArray ? 'array_in' : `${base}in`, isArray ? 'array_out' : `${base}out`, isArray ? 'array_recv' : `${base}recv`,
              isArray ? 'array_send' : `${base}send`, '-', '-', '-', t.size === 8 ? 'd' : t.size === 2 ? 's' : t.size === 1 ? 'c' : 'i', t.size > 0 ? 'p' : 'x',
              false, 0, -1, 0, t.name === 'text' || t.name === 'varchar' ? 100 : 0, null, null, null,
            ];
          }),
        name,
      );
    case 'pg_database':
      return rowsTable(
        [
          ['oid', OID], ['datname', NAME], ['datdba', OID], ['encoding', I4], ['datlocprovider', TEXT], ['datistemplate', BOOL], ['datallowconn', BOOL],
          ['datconnlimit', I4], ['datcollate', TEXT], ['datctype', TEXT], ['daticulocale', NTEXT], ['datacl', TEXTS], ['dattablespace', OID],
        ],
        () =>
          [...ctx.catalog.databases.values()]
            .filter((d) => !d.builtin)
            .map((d) => [pgDatabaseOid(d.name), d.name, OWNER_OID, 6, 'c', false, true, -1, 'C', 'C', null, null, 1663]),
        name,
      );
    case 'pg_proc':
      return rowsTable(
        [
          ['oid', OID], ['proname', NAME], ['pronamespace', OID], ['proowner', OID], ['prolang', OID], ['procost', T.Float32], ['prorows', T.Float32],
          ['provariadic', OID], ['prokind', TEXT], ['prosecdef', BOOL], ['proleakproof', BOOL], ['proisstrict', BOOL], ['proretset', BOOL],
          ['provolatile', TEXT], ['proparallel', TEXT], ['pronargs', I2], ['pronargdefaults', I2], ['prorettype', OID], ['proargtypes', TEXT],
          ['proallargtypes', TEXTS], ['proargmodes', TEXTS], ['proargnames', TEXTS], ['prosrc', TEXT], ['probin', NTEXT], ['proconfig', TEXTS],
          ['proacl', TEXTS], ['description', TEXT],
        ],
        () => {
          const seen = new Set<string>();
          const rows: Value[][] = [];
          for (const f of ctx.functions()) {
            if (seen.has(f.name)) continue;
            seen.add(f.name);
            rows.push([
              procOid(f.name), f.name, PG_CATALOG_NAMESPACE, OWNER_OID, 12, 1, 0, 0, f.isAggregate ? 'a' : f.isWindow ? 'w' : 'f', false, false, false, false,
              'i', 's', 0, 0, 25, '', null, null, null, f.aliasTo || f.name, null, null, null, f.description,
            ]);
          }
          return rows;
        },
        name,
      );
    case 'pg_description':
      return rowsTable([['objoid', OID], ['classoid', OID], ['objsubid', I4], ['description', TEXT]], () => {
        const rows: Value[][] = [];
        for (const t of allTables(ctx)) {
          const oid = tableOid(t.database, t.name);
          if (t.comment) rows.push([oid, PG_CLASS_OID, 0, t.comment]);
          visibleColumns(t).forEach((c, i) => {
            if (c.comment) rows.push([oid, PG_CLASS_OID, i + 1, c.comment]);
          });
        }
        return rows;
      }, name);
    case 'pg_settings':
      return rowsTable(
        [['name', TEXT], ['setting', TEXT], ['unit', NTEXT], ['category', TEXT], ['short_desc', TEXT], ['extra_desc', NTEXT], ['context', TEXT], ['vartype', TEXT], ['source', TEXT], ['min_val', NTEXT], ['max_val', NTEXT], ['enumvals', TEXTS], ['boot_val', TEXT], ['reset_val', TEXT], ['pending_restart', BOOL]],
        () => {
          const current = ctx.settings();
          return SETTINGS.map((s) => [s.name, current.get(s.name) ?? s.default, null, 'Hadron', s.description, null, 'user', s.type === 'Bool' ? 'bool' : s.type === 'String' ? 'string' : 'integer', current.has(s.name) ? 'session' : 'default', null, null, null, s.default, s.default, false]);
        },
        name,
      );
    case 'pg_am':
      return rowsTable([['oid', OID], ['amname', NAME], ['amhandler', TEXT], ['amtype', TEXT]], () => [[2, 'heap', 'heap_tableam_handler', 't'], [403, 'btree', 'bthandler', 'i']], name);
    case 'pg_roles':
    case 'pg_user':
    case 'pg_authid':
      return rowsTable(
        [['oid', OID], ['rolname', NAME], ['usename', NAME], ['usesysid', OID], ['rolsuper', BOOL], ['usesuper', BOOL], ['rolinherit', BOOL], ['rolcreaterole', BOOL], ['rolcreatedb', BOOL], ['usecreatedb', BOOL], ['rolcanlogin', BOOL], ['rolreplication', BOOL], ['rolconnlimit', I4], ['rolvaliduntil', NTEXT], ['rolbypassrls', BOOL], ['rolconfig', TEXTS]],
        () => [[OWNER_OID, 'default', 'default', OWNER_OID, true, true, true, true, true, true, true, false, -1, null, true, null]],
        name,
      );
    case 'pg_tables':
      return rowsTable(
        [['schemaname', NAME], ['tablename', NAME], ['tableowner', NAME], ['tablespace', NTEXT], ['hasindexes', BOOL], ['hasrules', BOOL], ['hastriggers', BOOL], ['rowsecurity', BOOL]],
        () => allTables(ctx).filter((t) => relkind(t) === 'r').map((t) => [pgSchemaName(t.database), t.name, 'default', null, false, false, false, false]),
        name,
      );
    case 'pg_views':
      return rowsTable(
        [['schemaname', NAME], ['viewname', NAME], ['viewowner', NAME], ['definition', TEXT]],
        () => allTables(ctx).filter((t) => t.kind === 'view').map((t) => [pgSchemaName(t.database), t.name, 'default', t.viewQuery ?? '']),
        name,
      );
    case 'pg_matviews':
      return rowsTable(
        [['schemaname', NAME], ['matviewname', NAME], ['matviewowner', NAME], ['definition', TEXT]],
        () => allTables(ctx).filter((t) => t.kind === 'materialized_view').map((t) => [pgSchemaName(t.database), t.name, 'default', t.viewQuery ?? '']),
        name,
      );
    case 'pg_stat_activity':
      return rowsTable(
        [['datname', NAME], ['pid', I4], ['usename', NAME], ['application_name', TEXT], ['client_addr', NTEXT], ['state', TEXT], ['query', TEXT], ['query_id', TEXT], ['backend_type', TEXT]],
        () => ctx.processes().map((p) => [ctx.currentDatabase, 0, p.user, p.interface, p.address, 'active', p.query, p.queryId, 'client backend']),
        name,
      );
    case 'pg_index':
      return rowsTable(
        [['indexrelid', OID], ['indrelid', OID], ['indnatts', I2], ['indnkeyatts', I2], ['indisunique', BOOL], ['indisprimary', BOOL], ['indisexclusion', BOOL], ['indimmediate', BOOL], ['indisclustered', BOOL], ['indisvalid', BOOL], ['indisreplident', BOOL], ['indkey', TEXT], ['indexprs', TEXTS], ['indpred', TEXTS]],
        () => [],
        name,
      );
    case 'pg_constraint':
      return rowsTable([['oid', OID], ['conname', NAME], ['connamespace', OID], ['contype', TEXT], ['conrelid', OID], ['confrelid', OID], ['conindid', OID], ['conkey', arrayType(I2)], ['confkey', arrayType(I2)], ['conbin', TEXTS]], () => [], name);
    case 'pg_extension':
      return rowsTable([['oid', OID], ['extname', NAME], ['extowner', OID], ['extnamespace', OID], ['extrelocatable', BOOL], ['extversion', TEXT], ['extconfig', TEXTS], ['extcondition', TEXTS]], () => [], name);
    case 'pg_auth_members':
      return rowsTable([['roleid', OID], ['member', OID], ['grantor', OID], ['admin_option', BOOL]], () => [], name);
    case 'pg_inherits':
      return rowsTable([['inhrelid', OID], ['inhparent', OID], ['inhseqno', I4], ['inhdetachpending', BOOL]], () => [], name);
    case 'pg_collation':
      return rowsTable([['oid', OID], ['collname', NAME], ['collnamespace', OID], ['collprovider', TEXT], ['collcollate', TEXT], ['collctype', TEXT]], () => [[100, 'default', PG_CATALOG_NAMESPACE, 'd', '', ''], [950, 'C', PG_CATALOG_NAMESPACE, 'c', 'C', 'C']], name);
    case 'pg_tablespace':
      return rowsTable([['oid', OID], ['spcname', NAME], ['spcowner', OID]], () => [[1663, 'pg_default', OWNER_OID]], name);
    case 'pg_trigger':
    case 'pg_rewrite':
    case 'pg_policy':
    case 'pg_enum':
    case 'pg_range':
    case 'pg_depend':
    case 'pg_sequence':
    case 'pg_foreign_table':
    case 'pg_partitioned_table':
    case 'pg_statistic_ext':
    case 'pg_publication':
    case 'pg_publication_rel':
    case 'pg_shdescription':
    case 'pg_event_trigger':
      return rowsTable([['oid', OID], ['objoid', OID], ['name', NAME]], () => [], name);
    case 'pg_language':
      return rowsTable([['oid', OID], ['lanname', NAME]], () => [[12, 'internal'], [14, 'sql']], name);
  }
  return undefined;
}

function typeCategory(name: string): string {
  if (name === 'bool') return 'B';
  if (['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid', 'regproc', 'regclass', 'regtype'].includes(name)) return 'N';
  if (['date', 'time', 'timestamp', 'timestamptz'].includes(name)) return 'D';
  if (name === 'interval') return 'T';
  if (['text', 'varchar', 'bpchar', 'name', 'char'].includes(name)) return 'S';
  return 'U';
}

/** Resolves pg_catalog.* (and unqualified pg_* names the current database does not define). */
export function pgCatalogTable(ctx: SystemContext, database: string, name: string): PlanNode | undefined {
  const n = name.toLowerCase();
  if (database === 'pg_catalog') return pgTable(ctx, n);
  if (!n.startsWith('pg_') || database === 'system' || database.toLowerCase() === 'information_schema') return undefined;
  if (ctx.catalog.databases.get(database)?.tables.has(name)) return undefined;
  return pgTable(ctx, n);
}

registerSystemTables(pgCatalogTable);
