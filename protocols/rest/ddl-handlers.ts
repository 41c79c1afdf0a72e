import type { DatabaseEntry, TableEntry } from '../../src/catalog/table-entry.js';
import { quoteIdentifier } from '../../src/sql/index.js';
import { protonTypeName } from '../../src/types/dialect.js';
import { createStreamSql } from './create-stream-sql.js';
import { RestRequestError } from './rest-errors.js';
import { optionalInt, optionalString, type RestCall } from './rest-request.js';

/** What the DDL listings read: the engine's catalog (read only; every change goes through the session). */
export interface RestCatalog {
  readonly databases: ReadonlyMap<string, DatabaseEntry>;
}

type Json = Record<string, unknown>;

async function drain(call: RestCall, sql: string): Promise<void> {
  const result = await call.run(sql);
  for await (const _ of result.blocks) { /* DDL answers with nothing */ }
}

/** A column as Proton's columnDeclarationToJSON describes it. */
function columnJson(c: TableEntry['columns'][number]): Json {
  const nullable = c.type.kind === 'Nullable';
  const inner = c.type.kind === 'Nullable' ? c.type.inner : c.type;
  const type = protonTypeName(inner.name);
  const out: Json = { name: c.name, nullable, type };
  if (c.defaultKind === 'DEFAULT' && c.defaultExpr !== undefined) {
    const quoted = /^'(.*)'$/s.exec(c.defaultExpr);
    out['default'] = type === 'string' && quoted ? quoted[1] : c.defaultExpr;
  } else if (c.defaultKind === 'ALIAS' && c.defaultExpr !== undefined) {
    out['alias'] = c.defaultExpr;
  }
  if (c.comment !== undefined && c.comment !== '') out['comment'] = c.comment;
  if (c.codec !== undefined && c.codec !== '') out['codec'] = c.codec;
  return out;
}

/** A stream, view or table as TabularTableRestRouterHandler::buildTablesJSON lists it. */
function streamJson(t: TableEntry): Json {
  const out: Json = {
    name: t.name,
    engine: t.engine,
    order_by_expression: t.orderBy.join(', '),
    partition_by_expression: t.partitionBy ?? '',
    mode: t.settings['mode'] ?? (t.kind === 'stream' ? 'append' : ''),
    primary_key: t.primaryKey.join(', '),
  };
  if (t.engine === 'Stream' || t.engine === 'MaterializedView') {
    const num = (k: string, d: number): number => {
      const v = Number(t.settings[k]);
      return Number.isFinite(v) && t.settings[k] !== undefined ? v : d;
    };
    out['logstore_retention_bytes'] = num('logstore_retention_bytes', -1);
    out['logstore_retention_ms'] = num('logstore_retention_ms', 86400000);
  }
  if (t.ttl.length > 0) out['ttl'] = t.ttl.join(', ');
  out['columns'] = t.columns.filter((c) => c.hidden !== true || c.name === '_tp_time').map(columnJson);
  return out;
}

/** `GET /proton/v1/ddl/streams[/{db}[/{stream}]]`. */
export function listStreams(call: RestCall, catalog: RestCatalog, database: string | undefined, stream: string | undefined, includeInternal: boolean): Json {
  const dbName = database ?? call.session.currentDatabase();
  const db = catalog.databases.get(dbName);
  if (db === undefined) throw new RestRequestError('UNKNOWN_DATABASE', `Databases ${dbName} does not exist.`, 404);
  let tables = [...db.tables.values()].filter((t) => !t.temporary && t.kind !== 'external_stream');
  if (!includeInternal) tables = tables.filter((t) => !t.name.startsWith('.inner.'));
  if (stream !== undefined) {
    tables = tables.filter((t) => t.name === stream);
    if (tables.length === 0) throw new RestRequestError('UNKNOWN_TABLE', `No stream named '${stream}' in database '${dbName}'`, 404);
  }
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { data: tables.map(streamJson), request_id: call.requestId };
}

/** `POST /proton/v1/ddl/streams`: CREATE STREAM from the JSON body. */
export async function createStream(call: RestCall, payload: Json): Promise<Json> {
  await drain(call, createStreamSql(call.session.currentDatabase(), payload));
  return { request_id: call.requestId };
}

/** `PATCH /proton/v1/ddl/streams/{stream}`: TTL and log-store retention (Proton's update schema). */
export async function updateStream(call: RestCall, stream: string, payload: Json): Promise<Json> {
  const target = `${quoteIdentifier(call.session.currentDatabase())}.${quoteIdentifier(stream)}`;
  const ttl = optionalString(payload, 'ttl_expression');
  const settings: string[] = [];
  for (const k of ['logstore_retention_bytes', 'logstore_retention_ms']) {
    const v = optionalInt(payload, k);
    if (v !== undefined) settings.push(`${k} = ${v}`);
  }
  for (const k of Object.keys(payload)) {
    if (k !== 'ttl_expression' && k !== 'logstore_retention_bytes' && k !== 'logstore_retention_ms') {
      throw new RestRequestError('BAD_REQUEST_PARAMETER', `Unsupported param '${k}'`);
    }
  }
  if (ttl === undefined && settings.length === 0) throw new RestRequestError('BAD_REQUEST_PARAMETER', 'Nothing to update');
  if (ttl !== undefined) await drain(call, ttl === '' ? `ALTER STREAM ${target} REMOVE TTL` : `ALTER STREAM ${target} MODIFY TTL ${ttl}`);
  if (settings.length > 0) await drain(call, `ALTER STREAM ${target} MODIFY SETTING ${settings.join(', ')}`);
  return { request_id: call.requestId };
}

/** `DELETE /proton/v1/ddl/streams/{stream}[?mode=drop|truncate]`. */
export async function deleteStream(call: RestCall, stream: string, mode: string | undefined): Promise<Json> {
  const target = `${quoteIdentifier(call.session.currentDatabase())}.${quoteIdentifier(stream)}`;
  if (mode !== undefined && mode !== 'drop' && mode !== 'truncate') throw new RestRequestError('BAD_REQUEST_PARAMETER', `No support delete mode: ${mode}`);
  await drain(call, mode === 'truncate' ? `TRUNCATE STREAM ${target}` : `DROP STREAM ${target}`);
  return { request_id: call.requestId };
}

/** `GET /proton/v1/ddl/databases` (DatabaseRestRouterHandler): names, through system.databases. */
export async function listDatabases(call: RestCall): Promise<Json> {
  const rows = await call.rows('SELECT name FROM system.databases ORDER BY name');
  return { data: rows.map((r) => r[0]), request_id: call.requestId };
}

/** `POST /proton/v1/ddl/databases {"name"}`. */
export async function createDatabase(call: RestCall, payload: Json): Promise<Json> {
  const name = optionalString(payload, 'name');
  if (name === undefined || name === '') throw new RestRequestError('BAD_REQUEST_PARAMETER', "Required param 'name' is missing.");
  await drain(call, `CREATE DATABASE ${quoteIdentifier(name)}`);
  return { request_id: call.requestId };
}

export async function dropDatabase(call: RestCall, name: string): Promise<Json> {
  await drain(call, `DROP DATABASE ${quoteIdentifier(name)}`);
  return { request_id: call.requestId };
}

/** `GET /proton/v1/ddl/externalstreams`: external streams of the current database. */
export function listExternalStreams(call: RestCall, catalog: RestCatalog): Json {
  const db = catalog.databases.get(call.session.currentDatabase());
  const streams = db === undefined ? [] : [...db.tables.values()].filter((t) => t.kind === 'external_stream');
  return {
    data: streams.map((t) => ({ name: t.name, columns: t.columns.map(columnJson), settings: t.settings })),
    request_id: call.requestId,
  };
}
