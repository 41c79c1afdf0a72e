import { DbError } from '../errors/index.js';
import type { FunctionContext } from '../functions/function.js';
import type { DataType } from '../types/data-type.js';
import { parseDataType } from '../types/type-factory.js';
import type { JsSandbox, SandboxDefinition } from './js-sandbox.js';
import { resultSpec, type ResultSpec } from './js-values.js';
import { definitionKey, type UdfDefinition } from './udf-definition.js';

/** Default time limit of one call into a JavaScript UDF (a batch of rows), in milliseconds. */
export const DEFAULT_UDF_TIMEOUT_MS = 3000;

/** `javascript_udf_timeout_ms` of the query (Proton has no such setting; its V8 calls are unbounded). */
export function udfTimeoutMs(ctx: FunctionContext): number {
  const raw = ctx.settings.get('javascript_udf_timeout_ms');
  if (raw === undefined || raw === '') return DEFAULT_UDF_TIMEOUT_MS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new DbError('INVALID_SETTING_VALUE', `Invalid javascript_udf_timeout_ms: ${raw}`);
  return Math.min(n, 600_000);
}

/** A JavaScript definition ready to call: parsed types, the result spec and the sandbox handle. */
export interface JsUdfRuntime {
  readonly definition: UdfDefinition;
  readonly sandbox: JsSandbox;
  readonly sandboxDef: SandboxDefinition;
  readonly argTypes: readonly DataType[];
  readonly returnType: DataType;
  readonly spec: ResultSpec;
}

export function jsRuntime(definition: UdfDefinition, sandbox: JsSandbox): JsUdfRuntime {
  const returnType = parseDataType(definition.returnType);
  return {
    definition,
    sandbox,
    sandboxDef: { key: definitionKey(definition), name: definition.name, source: definition.source, aggregate: definition.isAggregation },
    argTypes: definition.arguments.map((a) => parseDataType(a.type)),
    returnType,
    spec: resultSpec(returnType),
  };
}

export function argumentCountError(name: string, passed: number, expected: number): DbError {
  return new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Number of arguments for function ${name} doesn't match: passed ${passed}, should be ${expected}`);
}
