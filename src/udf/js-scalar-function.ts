import { materialize } from '../columns/ops.js';
import { createBuilder } from '../columns/builder.js';
import { castColumn } from '../functions/core/cast.js';
import { withDefaultNulls } from '../functions/core/null-handling.js';
import type { ScalarFunction } from '../functions/function.js';
import { decodeColumn, encodeColumn } from './js-values.js';
import { argumentCountError, udfTimeoutMs, type JsUdfRuntime } from './udf-runtime.js';

/**
 * A JavaScript scalar UDF (Proton's JavaScriptUserDefinedFunction): arguments are cast to the declared types
 * (castColumnAccurate), each whole column goes to the function as one array per argument (one call per
 * block), and the array it returns, of the same length, becomes the result column of the declared type.
 */
export function jsScalarFunction(rt: JsUdfRuntime): ScalarFunction {
  const name = rt.definition.name;
  return withDefaultNulls({
    name,
    category: 'User-defined',
    description: `JavaScript user-defined function ${name}`,
    nonDeterministic: true,
    resolve(args) {
      if (args.length !== rt.argTypes.length) throw argumentCountError(name, args.length, rt.argTypes.length);
      return {
        returnType: rt.returnType,
        execute(cols, rows, ectx) {
          if (rows === 0) return createBuilder(rt.returnType, 0).build();
          const encoded = cols.map((c, i) => encodeColumn(castColumn(materialize(c), args[i]!.type, rt.argTypes[i]!, ectx), rt.argTypes[i]!));
          const values = rt.sandbox.call(rt.sandboxDef, { op: 'scalar', rows, args: encoded, ret: rt.spec }, udfTimeoutMs(ectx)) as unknown[];
          return decodeColumn(rt.returnType, values);
        },
      };
    },
  });
}
