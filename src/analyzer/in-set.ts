import type { FunctionExpr } from '../sql/ast.js';
import { type DataType, T, baseType, nullableType, removeLowCardinality } from '../types/data-type.js';
import { NullableColumn, NumericColumn, type Column } from '../columns/column.js';
import { materialize } from '../columns/ops.js';
import { readValue, type Value } from '../columns/values.js';
import type { Block } from '../core/block.js';
import { DbError } from '../errors/index.js';
import { parseValueText } from '../types/text-conversion.js';
import { isProtonDialect } from '../types/dialect.js';
import type { CompiledExpr } from './compiled-expr.js';
import type { ExpressionCompiler } from './expression-compiler.js';

export const IN_FUNCTIONS = new Set(['in', 'notin', 'globalin', 'globalnotin', 'nullin', 'notnullin', 'globalnullin', 'globalnotnullin']);

/** A hashable key for a value: numbers stay numbers (1 = 1.0 = 1n), everything else becomes a tagged string. */
export function valueKey(v: Value): string | number {
  if (v === null) return '\u0000null';
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : `n${v}`;
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return `s${v}`;
  }
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map((x) => String(valueKey(x))).join('\u0001')}]`;
  return `o${JSON.stringify(v)}`;
}

/** Converts a value from the IN list to the representation of the left side's type, as ClickHouse casts set elements. */
function coerce(v: Value, type: DataType, tz: string): Value {
  if (v === null) return null;
  const t = baseType(type);
  if (t.kind === 'Tuple' && Array.isArray(v)) return v.map((x, i) => coerce(x, t.elements[i] ?? t, tz));
  if (t.kind === 'String' || t.kind === 'FixedString') return typeof v === 'string' ? v : String(v);
  if (typeof v === 'string') {
    try {
      return parseValueText(t, v, tz);
    } catch {
      return v;
    }
  }
  if (t.kind === 'Decimal' && typeof v === 'number') return BigInt(Math.round(v * 10 ** t.scale));
  return v;
}

export function compileInSet(compiler: ExpressionCompiler, e: FunctionExpr, name: string): CompiledExpr {
  const lname = e.name.toLowerCase();
  const negate = lname.includes('not');
  if (e.args.length !== 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Function ${e.name} requires 2 arguments`);
  const left = compiler.compile(e.args[0]!);
  const leftType = removeLowCardinality(left.type);
  const right = e.args[1]!;
  const tz = compiler.env.fnCtx.timezone;

  let elements: Value[];
  if (right.kind === 'subquery' || right.kind === 'identifier') {
    let block: Block | undefined;
    if (right.kind === 'subquery') block = compiler.env.subqueries.get(right);
    else block = compiler.env.inTables?.(right.parts);
    if (!block) {
      if (right.kind === 'identifier') {
        // `x IN alias_or_column`: a constant expression after all.
        const rc = compiler.compile(right);
        elements = constElements(rc, shouldSpread(leftType, rc.type));
      } else throw new DbError('LOGICAL_ERROR', 'IN subquery was not evaluated');
    } else {
      elements = [];
      for (let r = 0; r < block.rows; r++) {
        if (block.header.length === 1) elements.push(readValue(block.header[0]!.type, block.columns[0]!, r));
        else elements.push(block.columns.map((c, i) => readValue(block.header[i]!.type, c, r)));
      }
    }
  } else {
    const rc = compiler.compile(right);
    elements = constElements(rc, shouldSpread(leftType, rc.type));
  }

  const set = new Set<string | number>();
  for (const v of elements) set.add(valueKey(coerce(v, leftType, tz)));

  const numericFast = ['UInt8', 'UInt16', 'UInt32', 'Int8', 'Int16', 'Int32', 'Float32', 'Float64', 'Date', 'DateTime', 'Date32'].includes(leftType.kind);
  const resultType = isProtonDialect(compiler.env.fnCtx.settings) ? T.Bool : T.UInt8;
  const nullableLeft = left.type.kind === 'Nullable';
  return {
    type: nullableLeft ? nullableType(resultType) : resultType,
    name,
    eval: (block, ctx) => {
      const col = materialize(left.eval(block, ctx));
      const n = block.rows;
      const out = new Uint8Array(n);
      if (nullableLeft && col.kind === 'nullable') {
        // NULL IN (…) is NULL (transform_null_in = 0).
        const inner = new NumericColumn(out);
        for (let i = 0; i < n; i++) {
          if (col.nulls[i]) continue;
          const v = readValue(leftType, col, i);
          out[i] = set.has(valueKey(v)) ? (negate ? 0 : 1) : negate ? 1 : 0;
        }
        return new NullableColumn(col.nulls, inner);
      }
      const hit = negate ? 0 : 1;
      const miss = negate ? 1 : 0;
      if (numericFast && col.kind === 'numeric') {
        const d = col.data as Float64Array;
        for (let i = 0; i < n; i++) out[i] = set.has(d[i]!) ? hit : miss;
      } else {
        for (let i = 0; i < n; i++) {
          const v = readValue(leftType, col as Column, i);
          out[i] = v === null ? 0 : set.has(valueKey(v)) ? hit : miss;
        }
      }
      return new NumericColumn(out);
    },
  };
}

function isTupleOfTuples(t: DataType): boolean {
  return t.kind === 'Tuple' && t.elements.every((e) => e.kind === 'Tuple');
}

function arrayDepth(t: DataType): number {
  let d = 0;
  for (let x = baseType(t); x.kind === 'Array'; x = baseType(x.element)) d++;
  return d;
}

/**
 * Whether a constant right side lists the set's elements (`x IN (1, 2)`, `x IN [1, 2]`, `[1] IN [[1], [2]]`) or
 * is itself the only element (`(1, 2) IN (1, 2)`, `[1, 2] IN [1, 2]`).
 */
function shouldSpread(left: DataType, right: DataType): boolean {
  const r = baseType(right);
  const l = baseType(left);
  if (r.kind === 'Tuple') return l.kind !== 'Tuple' || isTupleOfTuples(r) || (r.elements.length !== l.elements.length);
  if (r.kind === 'Array') return arrayDepth(r) === arrayDepth(l) + 1;
  return false;
}

function constElements(c: CompiledExpr, spread = false): Value[] {
  if (!c.constant) throw new DbError('BAD_ARGUMENTS', `The right side of IN must be a constant expression or a subquery, got ${c.name}`);
  const v = c.constant.value;
  if (spread && Array.isArray(v)) return v;
  return [v];
}
