import { quoteIdentifier, quoteString } from '../../src/sql/index.js';
import { RestRequestError } from './rest-errors.js';
import { optionalInt, optionalString, requiredString } from './rest-request.js';

const MODES = new Set(['append', 'changelog', 'changelog_kv', 'versioned_kv']);

/** One column of a create body (Proton's ColumnDefinition::getCreateColumnDefinition). */
function columnDefinition(col: unknown, index: number): { name: string; sql: string } {
  if (col === null || typeof col !== 'object' || Array.isArray(col)) {
    throw new RestRequestError('BAD_REQUEST_PARAMETER', `Invalid column ${index + 1}: expected an object`);
  }
  const c = col as Record<string, unknown>;
  const name = requiredString(c, 'name');
  const type = requiredString(c, 'type');
  if (name === '') throw new RestRequestError('BAD_REQUEST_PARAMETER', `Invalid column ${index + 1}: empty name`);
  const nullable = c['nullable'];
  if (nullable !== undefined && typeof nullable !== 'boolean') throw new RestRequestError('BAD_REQUEST_PARAMETER', "Invalid type of param 'nullable', expected: bool");
  const parts = [quoteIdentifier(name), nullable === true ? `nullable(${type})` : type];
  const def = optionalString(c, 'default');
  const alias = optionalString(c, 'alias');
  if (def !== undefined && def !== '') parts.push(`DEFAULT ${type.toLowerCase() === 'string' ? quoteString(def) : def}`);
  else if (alias !== undefined) parts.push(`ALIAS ${alias}`);
  const comment = optionalString(c, 'comment');
  if (comment !== undefined) parts.push(`COMMENT ${quoteString(comment)}`);
  const codec = optionalString(c, 'compression_codec');
  if (codec !== undefined) parts.push(`CODEC(${codec})`);
  const ttl = optionalString(c, 'ttl_expression');
  if (ttl !== undefined) parts.push(`TTL ${ttl}`);
  return { name, sql: parts.join(' ') };
}

/**
 * The CREATE STREAM statement for a `POST /proton/v1/ddl/streams` body (Proton's
 * TabularTableRestRouterHandler::getCreationSQL, minus its cluster engine arguments: Hadron is one node).
 */
export function createStreamSql(database: string, payload: Record<string, unknown>): string {
  const name = requiredString(payload, 'name');
  if (name === '') throw new RestRequestError('BAD_REQUEST_PARAMETER', "Invalid param 'name': empty");
  const columns = payload['columns'];
  if (columns === undefined) throw new RestRequestError('BAD_REQUEST_PARAMETER', "Required param 'columns' is missing.");
  if (!Array.isArray(columns)) throw new RestRequestError('BAD_REQUEST_PARAMETER', "Invalid type of param 'columns', expected: array");
  const shards = optionalInt(payload, 'shards') ?? 1;
  const replication = optionalInt(payload, 'replication_factor') ?? 1;
  if (shards !== 1 || replication !== 1) {
    throw new RestRequestError('BAD_REQUEST_PARAMETER', 'Invalid shards / replication factor, local stream shall have only 1 shard and 1 replica');
  }
  const mode = optionalString(payload, 'mode') ?? 'append';
  if (!MODES.has(mode)) throw new RestRequestError('BAD_REQUEST_PARAMETER', "Storage 'mode' can be only 'append', 'changelog', 'changelog_kv' or 'versioned_kv'");
  const primaryKey = optionalString(payload, 'primary_key');
  const orderBy = optionalString(payload, 'order_by_expression');
  if (mode === 'changelog_kv' || mode === 'versioned_kv') {
    if (primaryKey === undefined) throw new RestRequestError('BAD_REQUEST_PARAMETER', "changelog kv or versioned kv storage mode requires 'PRIMARY KEY'");
    if (orderBy !== undefined && orderBy !== primaryKey) {
      throw new RestRequestError('BAD_REQUEST_PARAMETER', "changelog kv or versioned kv storage mode requires 'ORDER BY' is the same as 'PRIMARY KEY'");
    }
  }
  const eventTime = optionalString(payload, 'event_time_column');
  const partitionBy = optionalString(payload, 'partition_by_expression');
  const ttl = optionalString(payload, 'ttl_expression');

  const defs = columns.map((c, i) => columnDefinition(c, i));
  const names = new Set(defs.map((d) => d.name));
  const elements = defs.map((d) => d.sql);
  // `event_time_column` is the expression `_tp_time` takes its value from.
  if (!names.has('_tp_time') && eventTime !== undefined) elements.push(`_tp_time datetime64(3, 'UTC') DEFAULT ${eventTime}`);

  const clauses = [`CREATE STREAM ${quoteIdentifier(database)}.${quoteIdentifier(name)} (${elements.join(', ')})`];
  if (primaryKey !== undefined && primaryKey !== '') clauses.push(`PRIMARY KEY (${primaryKey})`);
  const order = orderBy ?? primaryKey;
  if (order !== undefined && order !== '') clauses.push(`ORDER BY (${order})`);
  if (partitionBy !== undefined && partitionBy !== '') clauses.push(`PARTITION BY ${partitionBy}`);
  if (ttl !== undefined && ttl !== '') clauses.push(`TTL ${ttl}`);
  clauses.push(`SETTINGS mode = ${quoteString(mode)}`);
  return clauses.join(' ');
}
