import { Block } from '../core/block.js';
import { materialize } from '../columns/ops.js';
import { Scope } from '../analyzer/scope.js';
import { compileExpression } from '../analyzer/expression-compiler.js';
import type { FunctionLookup } from '../analyzer/function-lookup.js';
import type { ScalarFunction } from '../functions/function.js';
import type { LambdaExpr } from '../sql/ast.js';
import { parseExpression } from '../sql/index.js';
import { DbError } from '../errors/index.js';
import { argumentCountError } from './udf-runtime.js';
import type { UdfDefinition } from './udf-definition.js';

/** Expansions in progress, to refuse a SQL function that calls itself. */
const expanding = new Set<string>();

/**
 * A SQL UDF (`CREATE FUNCTION f AS (x, y) -> expr`, ClickHouse's UserDefinedSQLFunction): the lambda body is
 * compiled per call site against the argument types, so the result type follows the arguments.
 */
export function sqlFunction(def: UdfDefinition, functions: () => FunctionLookup): ScalarFunction {
  const lambda = parseExpression(def.source) as LambdaExpr;
  if (lambda.kind !== 'lambda') throw new DbError('LOGICAL_ERROR', `SQL function ${def.name} is not a lambda`);
  return {
    name: def.name,
    category: 'User-defined',
    description: `SQL user-defined function ${def.name}: ${def.source}`,
    handlesNulls: true,
    resolve(args, ctx) {
      if (args.length !== lambda.params.length) throw argumentCountError(def.name, args.length, lambda.params.length);
      if (expanding.has(def.name)) throw new DbError('UNSUPPORTED_METHOD', `Recursive SQL user-defined function ${def.name} is not allowed`);
      const header = lambda.params.map((p, i) => ({ name: p, type: args[i]!.type }));
      expanding.add(def.name);
      let body;
      try {
        body = compileExpression({ functions: functions(), fnCtx: ctx, params: new Map(), subqueries: { get: () => undefined } }, Scope.fromHeader(header), lambda.body);
      } finally {
        expanding.delete(def.name);
      }
      const compiled = body;
      return {
        returnType: compiled.type,
        execute(cols, rows, ectx) {
          return compiled.eval(new Block(header, cols.map((c) => materialize(c)), rows), ectx);
        },
      };
    },
  };
}
