import { materialize } from '../columns/ops.js';
import { createBuilder, columnFromValues } from '../columns/builder.js';
import { readValue } from '../columns/values.js';
import { castColumn } from '../functions/core/cast.js';
import { withDefaultNulls } from '../functions/core/null-handling.js';
import type { ScalarFunction } from '../functions/function.js';
import { DbError } from '../errors/index.js';
import { nullableType, T, type DataType } from '../types/data-type.js';
import { parseDataType } from '../types/type-factory.js';
import { formatValueText } from '../types/text-conversion.js';
import type { JsSandbox } from './js-sandbox.js';
import { argumentCountError } from './udf-runtime.js';
import type { UdfDefinition } from './udf-definition.js';

const JSON_NATIVE = new Set(['Int8', 'Int16', 'Int32', 'UInt8', 'UInt16', 'UInt32', 'Float32', 'Float64', 'Bool', 'String']);

/** One argument column as a JSON array (Proton's JSONColumns: numbers, booleans and strings; other types as their text). */
function jsonValues(type: DataType, col: ReturnType<typeof materialize>, rows: number, timezone: string): unknown[] {
  const out = new Array<unknown>(rows);
  const base = type.kind === 'Nullable' ? type.inner : type;
  for (let i = 0; i < rows; i++) {
    if (col.kind === 'nullable' && col.nulls[i]) out[i] = null;
    else if (JSON_NATIVE.has(base.kind)) out[i] = readValue(type, col, i);
    else out[i] = formatValueText(type, col, i, timezone);
  }
  return out;
}

/**
 * Proton's remote UDF (RemoteUserDefinedFunction): each block is POSTed to the URL as JSONColumns
 * (`{"arg1": [...], "arg2": [...]}`, with the auth header if configured) and the answer must be
 * `{"result": [...]}` with one value per row; a non-200 answer is REMOTE_CALL_FAILED. Values that are not
 * strings (objects, numbers) are read from their JSON text into the return type.
 */
export function remoteFunction(def: UdfDefinition, sandbox: JsSandbox): ScalarFunction {
  const remote = def.remote!;
  const argTypes = def.arguments.map((a) => parseDataType(a.type));
  const returnType = parseDataType(def.returnType);
  return withDefaultNulls({
    name: def.name,
    category: 'User-defined',
    description: `Remote user-defined function ${def.name} (${remote.url})`,
    nonDeterministic: true,
    resolve(args) {
      if (args.length !== argTypes.length) throw argumentCountError(def.name, args.length, argTypes.length);
      return {
        returnType,
        execute(cols, rows, ctx) {
          if (rows === 0) return createBuilder(returnType, 0).build();
          const body: Record<string, unknown[]> = {};
          cols.forEach((c, i) => {
            const cast = materialize(castColumn(materialize(c), args[i]!.type, argTypes[i]!, ctx));
            body[def.arguments[i]!.name] = jsonValues(argTypes[i]!, cast, rows, ctx.timezone);
          });
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (remote.authMethod === 'auth_header' && remote.authHeader) headers[remote.authHeader] = remote.authKey ?? '';
          const res = sandbox.post(remote.url, headers, JSON.stringify(body), remote.timeoutMs);
          if (res.status !== 200) throw new DbError('REMOTE_CALL_FAILED', `Call remote uri ${remote.url} failed, message: ${res.text.slice(0, 1000)}, http_status: ${res.status}`);
          let parsed: unknown;
          try {
            parsed = JSON.parse(res.text);
          } catch {
            throw new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `The result of remote UDF ${def.name} is invalid, which should be 'JSONColumns' ({"result": [...]})`);
          }
          const result = (parsed as { result?: unknown } | null)?.result;
          if (!Array.isArray(result)) throw new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `The result of remote UDF ${def.name} is invalid, which should be 'JSONColumns' ({"result": [...]})`);
          if (result.length !== rows) throw new DbError('INCORRECT_DATA', `Function '${def.name}': wrong result, expected ${rows} row(s), actual ${result.length}`);
          const texts = result.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v)));
          if (!texts.some((v) => v === null)) return castColumn(columnFromValues(T.String, texts), T.String, returnType, ctx);
          // JSON nulls: NULL for a Nullable return type, else the type's default (as Proton's JSON input does).
          const nullableString = nullableType(T.String);
          const cast = castColumn(columnFromValues(nullableString, texts), nullableString, nullableType(returnType), ctx);
          return returnType.kind === 'Nullable' || cast.kind !== 'nullable' ? cast : cast.inner;
        },
      };
    },
  });
}
