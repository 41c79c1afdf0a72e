import type { Expr, FunctionExpr, LambdaExpr, SubqueryExpr } from '../sql/ast.js';
import { type DataType, T, nullableType, removeLowCardinality, tupleType } from '../types/data-type.js';
import { ConstColumn, NothingColumn, type Column } from '../columns/column.js';
import { constColumn, materialize, takeColumn } from '../columns/ops.js';
import { readValue, type Value } from '../columns/values.js';
import { Block } from '../core/block.js';
import { DbError } from '../errors/index.js';
import type { ArgumentInfo, ExecuteContext, FunctionContext, ResolvedFunction, RuntimeLambda } from '../functions/function.js';
import { isProtonDialect } from '../types/dialect.js';
import { parseValueText, unescapeChar } from '../types/text-conversion.js';
import { dataTypeFromAst } from '../types/type-factory.js';
import type { CompiledExpr } from './compiled-expr.js';
import { exprName } from './column-name.js';
import type { FunctionLookup } from './function-lookup.js';
import { literalType, literalValue } from './literal-type.js';
import { Scope } from './scope.js';
import { compileInSet, IN_FUNCTIONS } from './in-set.js';

/** Results of subqueries, computed before compilation (compilation itself is synchronous). */
export interface SubqueryResults {
  get(e: SubqueryExpr): Block | undefined;
}

export interface CompileEnv {
  readonly functions: FunctionLookup;
  readonly fnCtx: FunctionContext;
  readonly params: ReadonlyMap<string, string>;
  readonly subqueries: SubqueryResults;
  /** Where aggregates are not allowed (WHERE, GROUP BY keys), the clause name for the error. */
  readonly aggregateContext?: string;
  /** Tables usable as the right side of IN (`x IN t`), resolved to their rows. */
  readonly inTables?: (name: string[]) => Block | undefined;
}

const MAX_ALIAS_DEPTH = 100;

export class ExpressionCompiler {
  private aliasDepth = 0;
  private readonly expanding = new Set<string>();
  /**
   * Common subexpressions: an expression is compiled once per compiler and evaluated once per block, as
   * ClickHouse computes each named expression once (so `a + a AS b, b + b AS c, …` stays linear, and
   * `rand(), rand()` give the same value, as in ClickHouse).
   */
  private readonly cache = new Map<string, CompiledExpr>();

  constructor(
    readonly env: CompileEnv,
    readonly scope: Scope,
  ) {}

  compile(e: Expr): CompiledExpr {
    if (e.kind !== 'function') return this.compileUncached(e);
    const key = exprName(e);
    let c = this.cache.get(key);
    if (!c) {
      c = memoizePerBlock(this.compileUncached(e));
      this.cache.set(key, c);
    }
    return c;
  }

  private compileUncached(e: Expr): CompiledExpr {
    // A column of the input already computed this expression (GROUP BY key, aggregate result, ARRAY JOIN).
    if (e.kind === 'function' || e.kind === 'literal') {
      const pre = this.scope.byName(exprName(e));
      if (pre && e.kind === 'function') return this.columnRef(pre.index, pre.type, exprName(e));
    }
    switch (e.kind) {
      case 'literal': {
        const type = literalType(e.value, e.text);
        return this.constant(literalValue(e.value, type), type, exprName(e));
      }
      case 'identifier':
        return this.identifier(e.parts, exprName(e));
      case 'param':
        return this.param(e.name, dataTypeFromAst(e.type));
      case 'function':
        return this.func(e);
      case 'subquery':
        return this.scalarSubquery(e);
      case 'lambda':
        throw new DbError('UNEXPECTED_EXPRESSION', `Lambda ${exprName(e)} is only allowed as an argument of a higher-order function`);
      case 'asterisk':
        throw new DbError('UNEXPECTED_EXPRESSION', `Asterisk is not allowed here`);
    }
  }

  private columnRef(index: number, type: DataType, name: string): CompiledExpr {
    return {
      type,
      name,
      eval: (block) => {
        const c = block.columns[index];
        if (!c) throw new DbError('LOGICAL_ERROR', `Column ${name} (#${index}) is missing from the block`);
        return c;
      },
    };
  }

  constant(value: Value, type: DataType, name: string): CompiledExpr {
    const column = constColumn(type, value, 1);
    const one = (column as ConstColumn).inner;
    return {
      type,
      name,
      constant: { value, column: one },
      eval: (block) => new ConstColumn(one, block.rows),
    };
  }

  private identifier(parts: string[], name: string): CompiledExpr {
    if (parts.length === 1) {
      const alias = this.scope.aliases.get(parts[0]!);
      if (alias && !this.expanding.has(parts[0]!)) {
        // An alias that names its own column (`SELECT a AS a`) must resolve to the column.
        if (!(alias.kind === 'identifier' && alias.parts.length === 1 && alias.parts[0] === parts[0])) {
          if (++this.aliasDepth > MAX_ALIAS_DEPTH) throw new DbError('CYCLIC_ALIASES', `Cyclic aliases for ${name}`);
          this.expanding.add(parts[0]!);
          try {
            const c = this.compile(alias);
            return { ...c, name: c.name };
          } finally {
            this.expanding.delete(parts[0]!);
            this.aliasDepth--;
          }
        }
      }
    }
    const col = this.scope.resolve(parts);
    if (col) return this.columnRef(col.index, col.type, name);
    // `t.1` style tuple access and `tuple_col.field` for named tuples.
    if (parts.length > 1) {
      const base = this.scope.resolve(parts.slice(0, -1));
      if (base && removeLowCardinality(base.type).kind === 'Tuple') {
        return this.func({ kind: 'function', name: 'tupleElement', args: [{ kind: 'identifier', parts: parts.slice(0, -1) }, { kind: 'literal', value: parts[parts.length - 1]! }] });
      }
    }
    throw this.scope.unknown(parts);
  }

  private param(name: string, type: DataType): CompiledExpr {
    const text = this.env.params.get(name);
    if (text === undefined) throw new DbError('UNKNOWN_QUERY_PARAMETER', `Substitution \`${name}\` is not set`);
    let value: Value;
    try {
      const base = removeLowCardinality(type.kind === 'Nullable' ? type.inner : type);
      value = parseValueText(type, base.kind === 'String' || base.kind === 'FixedString' ? unescapeParam(text) : text, this.env.fnCtx.timezone);
    } catch (err) {
      throw new DbError('BAD_QUERY_PARAMETER', `Value ${text} cannot be parsed as ${type.name} for query parameter '${name}': ${(err as Error).message}`);
    }
    return this.constant(value, type, `{${name}:${type.name}}`);
  }

  private scalarSubquery(e: SubqueryExpr): CompiledExpr {
    const block = this.env.subqueries.get(e);
    if (!block) throw new DbError('LOGICAL_ERROR', 'Scalar subquery was not evaluated');
    if (block.header.length === 0) throw new DbError('INCORRECT_RESULT_OF_SCALAR_SUBQUERY', 'Scalar subquery returned no columns');
    if (block.rows > 1) throw new DbError('INCORRECT_RESULT_OF_SCALAR_SUBQUERY', 'Scalar subquery returned more than one row');
    const name = exprName(e);
    if (block.header.length === 1) {
      const t = block.header[0]!.type;
      if (block.rows === 0) {
        const nt = t.kind === 'Nullable' || !canBeNullable(t) ? t : nullableType(t);
        return this.constant(null, nt, name);
      }
      return this.constant(readValue(t, block.columns[0]!, 0), t, name);
    }
    const tt = tupleType(block.header.map((c) => c.type));
    const value = block.rows ? block.columns.map((c, i) => readValue(block.header[i]!.type, c, 0)) : null;
    return this.constant(value, tt, name);
  }

  private func(e: FunctionExpr): CompiledExpr {
    const lname = e.name.toLowerCase();
    const name = exprName(e);
    if (e.over) throw new DbError('NOT_IMPLEMENTED', `Window function ${name} is not allowed here`);
    if (IN_FUNCTIONS.has(lname)) return compileInSet(this, e, name);
    if (lname === 'arrayjoin') throw new DbError('LOGICAL_ERROR', `arrayJoin is handled by the planner`);
    if (lname === 'exists' && e.args.length === 1 && e.args[0]!.kind === 'subquery') {
      const block = this.env.subqueries.get(e.args[0]);
      if (!block) throw new DbError('LOGICAL_ERROR', 'EXISTS subquery was not evaluated');
      return this.constant(block.rows > 0 ? 1 : 0, T.UInt8, name);
    }
    const fn = this.env.functions.scalar(e.name);
    if (!fn) {
      if (this.env.functions.isAggregate(e.name) || e.distinct) {
        throw new DbError(
          'ILLEGAL_AGGREGATION',
          `Aggregate function ${name} is found ${this.env.aggregateContext ?? 'in wrong place'} in query`,
        );
      }
      throw new DbError('UNKNOWN_FUNCTION', `Unknown function ${e.name}`);
    }
    if (e.params && e.params.length) throw new DbError('FUNCTION_CANNOT_HAVE_PARAMETERS', `Function ${e.name} cannot have parameters`);

    // count(*)-style asterisk arguments only make sense for aggregates.
    const argExprs = e.args.filter((a) => a.kind !== 'asterisk');
    const compiledArgs: (CompiledExpr | undefined)[] = [];
    const infos: ArgumentInfo[] = [];
    const lambdaSlots: ({ expr: LambdaExpr; bound?: BoundLambda } | undefined)[] = [];
    for (const a of argExprs) {
      if (a.kind === 'lambda') {
        const slot: { expr: LambdaExpr; bound?: BoundLambda } = { expr: a };
        lambdaSlots.push(slot);
        compiledArgs.push(undefined);
        infos.push({
          type: T.Nothing,
          lambda: {
            arity: a.params.length,
            bind: (paramTypes: DataType[]) => {
              slot.bound = this.bindLambda(a, paramTypes);
              return slot.bound.body.type;
            },
          },
        });
      } else {
        const c = this.compile(a);
        lambdaSlots.push(undefined);
        compiledArgs.push(c);
        const type = removeLowCardinality(c.type);
        infos.push(c.constant ? { type, constant: { value: c.constant.value } } : { type });
      }
    }
    let resolved = fn.resolve(infos, this.env.fnCtx);
    if (isProtonDialect(this.env.fnCtx.settings) && PROTON_BOOL_RESULTS.has(fn.name)) resolved = asBool(resolved);
    const hasLambda = lambdaSlots.some((s) => s !== undefined);
    const allConst = !hasLambda && compiledArgs.every((c) => c?.constant) && !fn.nonDeterministic;

    const run = (block: Block, ctx: FunctionContext): Column => {
      const rows = block.rows;
      const args: Column[] = new Array(compiledArgs.length);
      const lambdas: (RuntimeLambda | undefined)[] = new Array(compiledArgs.length);
      for (let i = 0; i < compiledArgs.length; i++) {
        const c = compiledArgs[i];
        if (c) args[i] = c.eval(block, ctx);
        else {
          args[i] = new NothingColumn(rows);
          const slot = lambdaSlots[i]!;
          if (!slot.bound) throw new DbError('LOGICAL_ERROR', `Lambda in ${name} was not bound by the function`);
          lambdas[i] = slot.bound.runtime(block, ctx);
        }
      }
      const execCtx: ExecuteContext = { ...ctx, lambdas };
      return resolved.execute(args, rows, execCtx);
    };

    if (allConst) {
      const one = new Block([], [], 1);
      const col = materialize(run(one, this.env.fnCtx));
      const value = readValue(resolved.returnType, col, 0);
      const inner = col.length === 1 ? col : materialize(new ConstColumn(col, 1));
      return { type: resolved.returnType, name, constant: { value, column: inner }, eval: (block) => new ConstColumn(inner, block.rows) };
    }
    return { type: resolved.returnType, name, eval: run };
  }

  /**
   * Compiles a lambda body over a scope of its parameters followed by the outer scope's columns. At run time the
   * outer columns the body uses are replicated to element level with `rowOfElement`.
   */
  private bindLambda(e: LambdaExpr, paramTypes: DataType[]): BoundLambda {
    if (paramTypes.length !== e.params.length) {
      throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Lambda ${exprName(e)} takes ${e.params.length} arguments, ${paramTypes.length} given`);
    }
    const k = e.params.length;
    const outer = this.scope.columns;
    const used = new Set<number>();
    const columns = [
      ...e.params.map((p, i) => ({ name: p, shortName: p, type: paramTypes[i]!, index: i, qualifiers: [] })),
      ...outer.map((c) => ({ ...c, index: c.index + k })),
    ];
    // Aliases of the outer query stay visible, except those the parameters shadow.
    const aliases = new Map(this.scope.aliases);
    for (const p of e.params) aliases.delete(p);
    const inner = new ExpressionCompiler(this.env, new TrackingScope(columns, aliases, used));
    const body = inner.compile(e.body);
    return {
      body,
      runtime: (block: Block, ctx: FunctionContext): RuntimeLambda => ({
        execute: (params: Column[], rowOfElement: Uint32Array): Column => {
          const cols: Column[] = new Array(k + block.columns.length);
          for (let i = 0; i < k; i++) cols[i] = params[i]!;
          for (const idx of used) {
            if (idx >= k) cols[idx] = takeColumn(materialize(block.columns[idx - k]!), rowOfElement);
          }
          const rows = rowOfElement.length;
          return body.eval(new Block([], cols, rows), ctx);
        },
      }),
    };
  }
}

/** Query parameter values arrive in the Escaped (TSV) text form: `it\\'s`, `a\\tb`. */
function unescapeParam(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) out += unescapeChar(text[++i]);
    else out += c;
  }
  return out;
}

/** Evaluates once per block: repeated references to one subexpression share the column. */
function memoizePerBlock(c: CompiledExpr): CompiledExpr {
  if (c.constant) return c;
  let lastBlock: Block | undefined;
  let lastColumn: Column | undefined;
  return {
    type: c.type,
    name: c.name,
    eval: (block, ctx) => {
      if (block === lastBlock) return lastColumn!;
      const col = c.eval(block, ctx);
      lastBlock = block;
      lastColumn = col;
      return col;
    },
  };
}

/** In Proton, predicates return `bool` (printed true/false) where ClickHouse returns UInt8: same bytes, other type. */
const PROTON_BOOL_RESULTS = new Set([
  'equals', 'notEquals', 'less', 'greater', 'lessOrEquals', 'greaterOrEquals', 'and', 'or', 'not', 'xor',
  'like', 'notLike', 'ilike', 'notILike', 'match', 'isNull', 'isNotNull', 'startsWith', 'endsWith', 'has', 'hasAll',
  'hasAny', 'empty', 'notEmpty', 'isNaN', 'isFinite', 'isInfinite', 'isValidUTF8', 'isValidJSON', 'JSONHas',
  'pointInPolygon', 'pointInEllipses', 'isNotDistinctFrom', 'isDistinctFrom', 'notIn', 'in',
]);

function asBool(r: ResolvedFunction): ResolvedFunction {
  const t = r.returnType;
  if (t.kind === 'UInt8') return { ...r, returnType: T.Bool, execute: r.execute.bind(r) };
  if (t.kind === 'Nullable' && t.inner.kind === 'UInt8') return { ...r, returnType: nullableType(T.Bool), execute: r.execute.bind(r) };
  return r;
}

interface BoundLambda {
  body: CompiledExpr;
  runtime(block: Block, ctx: FunctionContext): RuntimeLambda;
}

/** A scope that records which columns a lambda body reads, so only those are replicated per element. */
class TrackingScope extends Scope {
  constructor(
    columns: ConstructorParameters<typeof Scope>[0],
    aliases: ConstructorParameters<typeof Scope>[1],
    private readonly used: Set<number>,
  ) {
    super(columns, aliases);
  }
  override resolve(parts: readonly string[]) {
    const c = super.resolve(parts);
    if (c) this.used.add(c.index);
    return c;
  }
  override byName(name: string) {
    const c = super.byName(name);
    if (c) this.used.add(c.index);
    return c;
  }
}

function canBeNullable(t: DataType): boolean {
  return !['Array', 'Map', 'Tuple', 'Nullable', 'LowCardinality'].includes(t.kind);
}

export function compileExpression(env: CompileEnv, scope: Scope, e: Expr): CompiledExpr {
  return new ExpressionCompiler(env, scope).compile(e);
}
