import { createHash } from 'node:crypto';
import type { CreateFunctionStatement } from '../sql/ast.js';
import { formatExpr, quoteIdentifier, quoteString } from '../sql/index.js';
import { DbError } from '../errors/index.js';
import { dataTypeFromAst, parseDataType } from '../types/type-factory.js';
import type { DataType } from '../types/data-type.js';
import { protonTypeName } from '../types/dialect.js';
import { checkArgumentType, resultSpec } from './js-values.js';

/**
 * A user-defined function as stored (`<data>/user_defined/<name>.json`, Proton's UDF JSON under `function`):
 * a JavaScript scalar UDF or UDA, or a SQL lambda (`CREATE FUNCTION f AS (x) -> x + 1`).
 */
export interface UdfDefinition {
  readonly name: string;
  readonly type: 'javascript' | 'sql' | 'remote';
  readonly isAggregation: boolean;
  /** JavaScript: arguments with their types (canonical type names). SQL: the lambda's parameter names, types ''. */
  readonly arguments: readonly { readonly name: string; readonly type: string }[];
  /** Canonical type name; '' for SQL functions (inferred per call). */
  readonly returnType: string;
  /** JavaScript source, or the SQL lambda as text. */
  readonly source: string;
  /** Remote UDF (`CREATE REMOTE FUNCTION … URL … AUTH_METHOD …`): where and how to call it. */
  readonly remote?: RemoteEndpoint;
  /** UDA with `has_customized_emit: true` (known after validation in the sandbox). */
  readonly customEmit?: boolean;
  readonly createdMs: number;
}

export interface RemoteEndpoint {
  readonly url: string;
  readonly authMethod: 'none' | 'auth_header';
  readonly authHeader?: string;
  readonly authKey?: string;
  /** EXECUTION_TIMEOUT, ms (Proton's default 10000). */
  readonly timeoutMs: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkUdfName(name: string): void {
  if (!NAME.test(name)) throw new DbError('UDF_INVALID_NAME', `Invalid UDF name '${name}': use letters, digits and underscores, not starting with a digit`);
}

/** A definition from `CREATE [AGGREGATE] FUNCTION …`. */
export function definitionFromStatement(st: CreateFunctionStatement): UdfDefinition {
  checkUdfName(st.name);
  if (st.lambda) {
    return {
      name: st.name,
      type: 'sql',
      isAggregation: false,
      arguments: st.lambda.params.map((p) => ({ name: p, type: '' })),
      returnType: '',
      source: formatExpr(st.lambda),
      createdMs: Date.now(),
    };
  }
  const language = (st.language ?? '').toUpperCase();
  if (language === 'REMOTE') {
    const o = (st.options ?? {}) as Record<string, unknown>;
    const text = (k: string): string | undefined => (o[k] === undefined || o[k] === null ? undefined : String(o[k]));
    if (!st.returns) throw new DbError('SYNTAX_ERROR', 'CREATE REMOTE FUNCTION needs RETURNS type');
    const args = (st.args ?? []).map((a) => ({ name: a.name, type: dataTypeFromAst(a.type) }));
    return remoteDefinition(st.name, args, dataTypeFromAst(st.returns), {
      url: text('url') ?? '',
      authMethod: (text('auth_method') ?? 'none') as RemoteEndpoint['authMethod'],
      authHeader: text('auth_header'),
      authKey: text('auth_key'),
      timeoutMs: o['execution_timeout'] === undefined ? 10000 : Number(o['execution_timeout']),
    });
  }
  if (language !== 'JAVASCRIPT') throw new DbError('NOT_IMPLEMENTED', `UDF language ${st.language ?? ''} is not supported: use LANGUAGE JAVASCRIPT`);
  const args = (st.args ?? []).map((a) => ({ name: a.name, type: dataTypeFromAst(a.type) }));
  if (!st.returns) throw new DbError('SYNTAX_ERROR', 'CREATE FUNCTION … LANGUAGE JAVASCRIPT needs RETURNS type');
  return javascriptDefinition(st.name, st.aggregate, args, dataTypeFromAst(st.returns), st.body ?? '');
}

/** A definition from Proton's REST body `{name, type, arguments:[{name,type}], return_type, source, is_aggregation}`. */
export function definitionFromJson(body: Record<string, unknown>): UdfDefinition {
  const str = (k: string): string => {
    const v = body[k];
    if (typeof v !== 'string' || v === '') throw new DbError('BAD_ARGUMENTS', `Required param '${k}' is missing.`);
    return v;
  };
  const name = str('name');
  checkUdfName(name);
  const type = str('type').toLowerCase();
  if (type !== 'javascript') throw new DbError('NOT_IMPLEMENTED', `UDF type '${type}' is not supported: use 'javascript'`);
  const rawArgs = body['arguments'] ?? [];
  if (!Array.isArray(rawArgs)) throw new DbError('BAD_ARGUMENTS', "'arguments' must be an array of {name, type}");
  const args = rawArgs.map((a: unknown, i) => {
    const o = a as Record<string, unknown> | null;
    if (!o || typeof o['name'] !== 'string' || typeof o['type'] !== 'string') throw new DbError('BAD_ARGUMENTS', `Argument ${i} must be {name, type}`);
    return { name: o['name'], type: parseDataType(o['type']) };
  });
  const agg = body['is_aggregation'];
  return javascriptDefinition(name, agg === true || agg === 'true' || agg === 1, args, parseDataType(str('return_type')), str('source'));
}

export function remoteDefinition(name: string, args: readonly { name: string; type: DataType }[], returns: DataType, remote: RemoteEndpoint): UdfDefinition {
  checkUdfName(name);
  let url: URL;
  try {
    url = new URL(remote.url);
  } catch {
    throw new DbError('BAD_ARGUMENTS', `Remote UDF ${name}: invalid URL '${remote.url}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DbError('BAD_ARGUMENTS', `Remote UDF ${name}: the URL must be http or https`);
  if (remote.authMethod !== 'none' && remote.authMethod !== 'auth_header') {
    throw new DbError('BAD_ARGUMENTS', `Wrong 'auth_method' expected 'none' or 'auth_header' actual ${String(remote.authMethod)}`);
  }
  if (remote.authMethod === 'auth_header' && (!remote.authHeader || remote.authKey === undefined)) {
    throw new DbError('BAD_ARGUMENTS', "'auth_header' auth_method requires AUTH_HEADER and AUTH_KEY");
  }
  if (!Number.isFinite(remote.timeoutMs) || remote.timeoutMs <= 0) throw new DbError('BAD_ARGUMENTS', `Remote UDF ${name}: invalid EXECUTION_TIMEOUT`);
  if (args.length === 0) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', 'A remote UDF needs at least one argument');
  return {
    name,
    type: 'remote',
    isAggregation: false,
    arguments: args.map((a) => ({ name: a.name, type: a.type.name })),
    returnType: returns.name,
    source: '',
    remote: { ...remote, url: url.toString() },
    createdMs: Date.now(),
  };
}

function javascriptDefinition(name: string, aggregate: boolean, args: readonly { name: string; type: DataType }[], returns: DataType, source: string): UdfDefinition {
  if (!source.trim()) throw new DbError('UDF_COMPILE_ERROR', `the JavaScript UDF ${name} has no source`);
  if (!aggregate && args.length === 0) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', 'Empty input argument is not supported for Javascript UDF.');
  for (const a of args) checkArgumentType(a.type);
  resultSpec(returns);
  return {
    name,
    type: 'javascript',
    isAggregation: aggregate,
    arguments: args.map((a) => ({ name: a.name, type: a.type.name })),
    returnType: returns.name,
    source,
    createdMs: Date.now(),
  };
}

/** Changes whenever the definition does (the sandbox keeps one context per key). */
export function definitionKey(d: UdfDefinition): string {
  const h = createHash('sha1').update(JSON.stringify([d.name, d.isAggregation, d.arguments, d.returnType, d.source])).digest('hex');
  return `${d.name}:${h.slice(0, 16)}`;
}

/** `CREATE …` text of a definition (system.functions.create_query, SHOW CREATE FUNCTION). */
export function createQueryOf(d: UdfDefinition): string {
  if (d.type === 'sql') return `CREATE FUNCTION ${quoteIdentifier(d.name)} AS ${d.source}`;
  if (d.type === 'remote' && d.remote) {
    const r = d.remote;
    const args = d.arguments.map((a) => `${quoteIdentifier(a.name)} ${a.type}`).join(', ');
    const auth = r.authMethod === 'auth_header' ? ` AUTH_HEADER ${quoteString(r.authHeader ?? '')} AUTH_KEY ${quoteString(r.authKey ?? '')}` : '';
    return `CREATE REMOTE FUNCTION ${quoteIdentifier(d.name)}(${args}) RETURNS ${d.returnType} URL ${quoteString(r.url)} AUTH_METHOD ${quoteString(r.authMethod)}${auth} EXECUTION_TIMEOUT ${r.timeoutMs}`;
  }
  const args = d.arguments.map((a) => `${quoteIdentifier(a.name)} ${a.type}`).join(', ');
  const body = d.source.includes('$$') ? quoteString(d.source) : `$$${d.source}$$`;
  return `CREATE ${d.isAggregation ? 'AGGREGATE ' : ''}FUNCTION ${quoteIdentifier(d.name)}(${args}) RETURNS ${d.returnType} LANGUAGE JAVASCRIPT AS ${body}`;
}

/** Proton's REST/metastore JSON of a definition. */
export function definitionJson(d: UdfDefinition): Record<string, unknown> {
  if (d.type === 'sql') return { name: d.name, type: 'sql', arguments: d.arguments.map((a) => ({ name: a.name })), source: d.source, is_aggregation: false };
  if (d.type === 'remote' && d.remote) {
    const r = d.remote;
    return {
      name: d.name,
      type: 'remote',
      arguments: d.arguments.map((a) => ({ name: a.name, type: protonTypeName(a.type) })),
      return_type: protonTypeName(d.returnType),
      url: r.url,
      auth_method: r.authMethod,
      ...(r.authMethod === 'auth_header' ? { auth_context: { key_name: r.authHeader, key_value: r.authKey } } : {}),
      command_execution_timeout: r.timeoutMs,
      is_aggregation: false,
    };
  }
  return {
    name: d.name,
    type: 'javascript',
    arguments: d.arguments.map((a) => ({ name: a.name, type: protonTypeName(a.type) })),
    return_type: protonTypeName(d.returnType),
    source: d.source,
    is_aggregation: d.isAggregation,
  };
}
