import type { CreateFunctionStatement } from '../../src/sql/ast.js';
import { formatType, parseStatement, quoteIdentifier, quoteString } from '../../src/sql/index.js';
import { protonTypeName } from '../../src/types/dialect.js';
import { RestRequestError } from './rest-errors.js';
import type { RestCall } from './rest-request.js';

type Json = Record<string, unknown>;

async function drain(call: RestCall, sql: string): Promise<void> {
  const result = await call.run(sql);
  for await (const _ of result.blocks) { /* DDL answers with nothing */ }
}

/** A user-defined function as Proton's UDF JSON (`{name, type, arguments, return_type, source, is_aggregation}`), from its CREATE query. */
function udfJson(createQuery: string): Json {
  const st = parseStatement(createQuery) as CreateFunctionStatement;
  if ((st.language ?? '').toUpperCase() === 'REMOTE') {
    const o = (st.options ?? {}) as Record<string, unknown>;
    const method = String(o['auth_method'] ?? 'none');
    return {
      name: st.name,
      type: 'remote',
      arguments: (st.args ?? []).map((a) => ({ name: a.name, type: protonTypeName(formatType(a.type)) })),
      return_type: st.returns ? protonTypeName(formatType(st.returns)) : '',
      url: String(o['url'] ?? ''),
      auth_method: method,
      ...(method === 'auth_header' ? { auth_context: { key_name: String(o['auth_header'] ?? ''), key_value: String(o['auth_key'] ?? '') } } : {}),
      is_aggregation: false,
    };
  }
  if (st.lambda) return { name: st.name, type: 'sql', arguments: st.lambda.params.map((p) => ({ name: p })), source: createQuery.replace(/^CREATE FUNCTION \S+ AS /, ''), is_aggregation: false };
  return {
    name: st.name,
    type: (st.language ?? 'javascript').toLowerCase(),
    arguments: (st.args ?? []).map((a) => ({ name: a.name, type: protonTypeName(formatType(a.type)) })),
    return_type: st.returns ? protonTypeName(formatType(st.returns)) : '',
    source: st.body ?? '',
    is_aggregation: st.aggregate,
  };
}

/** `GET /proton/v1/udfs[/{func}]` (Proton's UDFHandler::executeGet): every user-defined function, or one. */
export async function listUdfs(call: RestCall, func: string | undefined): Promise<Json> {
  const filter = func === undefined ? '' : ` AND name = ${quoteString(func)}`;
  const rows = await call.rows(`SELECT create_query FROM system.functions WHERE origin != 'System'${filter} ORDER BY name`);
  const defs = rows.map((r) => udfJson(String(r[0])));
  if (func === undefined) return { request_id: call.requestId, data: defs };
  if (defs.length === 0) throw new RestRequestError('BAD_REQUEST_PARAMETER', `UDF '${func}' does not exist`, 404);
  return { request_id: call.requestId, data: defs[0] };
}

function requiredString(payload: Json, key: string): string {
  const v = payload[key];
  if (typeof v !== 'string' || v === '') throw new RestRequestError('BAD_REQUEST_PARAMETER', `Required param '${key}' is missing.`);
  return v;
}

/**
 * `POST /proton/v1/udfs` (UDFHandler::executePost): creates or replaces a function from
 * `{name, type: 'javascript', arguments: [{name, type}], return_type, source, is_aggregation}`.
 */
export async function createUdf(call: RestCall, payload: Json): Promise<Json> {
  const name = requiredString(payload, 'name');
  const type = requiredString(payload, 'type').toLowerCase();
  const returnType = requiredString(payload, 'return_type');
  if (type !== 'javascript' && type !== 'remote') throw new RestRequestError('BAD_REQUEST_PARAMETER', `UDF type '${type}' is not supported: use 'javascript' or 'remote'`);
  const args = payload['arguments'] ?? [];
  if (!Array.isArray(args)) throw new RestRequestError('BAD_REQUEST_PARAMETER', "'arguments' must be an array of {name, type}");
  const argSql = args.map((a: unknown, i) => {
    const o = a as Json | null;
    if (o === null || typeof o !== 'object' || typeof o['name'] !== 'string' || typeof o['type'] !== 'string') {
      throw new RestRequestError('BAD_REQUEST_PARAMETER', `Argument ${i} must be {"name": …, "type": …}`);
    }
    return `${quoteIdentifier(o['name'])} ${o['type']}`;
  });
  if (type === 'remote') {
    const url = requiredString(payload, 'url');
    const method = typeof payload['auth_method'] === 'string' ? payload['auth_method'] : 'none';
    const ctx = (payload['auth_context'] ?? {}) as Json;
    const auth = method === 'auth_header' ? ` AUTH_HEADER ${quoteString(String(ctx['key_name'] ?? ''))} AUTH_KEY ${quoteString(String(ctx['key_value'] ?? ''))}` : '';
    const timeout = Number(payload['command_execution_timeout'] ?? 10000);
    await drain(call, `CREATE OR REPLACE REMOTE FUNCTION ${quoteIdentifier(name)}(${argSql.join(', ')}) RETURNS ${returnType} URL ${quoteString(url)} AUTH_METHOD ${quoteString(method)}${auth} EXECUTION_TIMEOUT ${Number.isFinite(timeout) ? Math.trunc(timeout) : 10000}`);
    return { request_id: call.requestId };
  }
  const source = requiredString(payload, 'source');
  const agg = payload['is_aggregation'];
  const aggregate = agg === true || agg === 'true' || agg === 1;
  await drain(call, `CREATE OR REPLACE ${aggregate ? 'AGGREGATE ' : ''}FUNCTION ${quoteIdentifier(name)}(${argSql.join(', ')}) RETURNS ${returnType} LANGUAGE JAVASCRIPT AS ${quoteString(source)}`);
  return { request_id: call.requestId };
}

/** `DELETE /proton/v1/udfs/{func}`. */
export async function deleteUdf(call: RestCall, func: string | undefined): Promise<Json> {
  if (func === undefined || func === '') throw new RestRequestError('BAD_REQUEST_PARAMETER', 'Missing UDF name');
  await drain(call, `DROP FUNCTION ${quoteIdentifier(func)}`);
  return { request_id: call.requestId };
}
