import type { AggregateFunctionDescriptor, ScalarFunction } from './function.js';
import { FunctionRegistry } from './registry.js';
import { arithmeticFunctions, positiveModulo } from './scalar/arithmetic.js';
import { arrayFunctions, registryRef } from './scalar/arrays.js';
import { comparisonFunctions } from './scalar/comparison.js';
import { conditionalFunctions } from './scalar/conditional.js';
import { conversionFunctions } from './scalar/conversions.js';
import { dateArithFunctions } from './scalar/date-arith.js';
import { dateFormatFunctions } from './scalar/date-format.js';
import { dateMiscFunctions } from './scalar/date-misc.js';
import { dateFunctions } from './scalar/dates.js';
import { higherOrderFunctions } from './scalar/higher-order.js';
import { logicalFunctions } from './scalar/logical.js';
import { mapTupleFunctions } from './scalar/maps-tuples.js';
import { nullFunctions } from './scalar/nulls.js';
import { stringSearchFunctions } from './scalar/string-search.js';
import { stringFunctions } from './scalar/strings.js';
import { mathFunctions } from './scalar/math.js';
import { bitFunctions } from './scalar/bits.js';
import { introspectionFunctions } from './scalar/introspection.js';
import { otherFunctions } from './scalar/other.js';
import { jsonFunctions } from './scalar/json.js';
import { hashFunctions } from './scalar/hashes.js';
import { aggregationStateFunctions } from './scalar/aggregation-states.js';
import { geoFunctions } from './scalar/geo.js';
import { urlFunctions } from './scalar/url.js';
import { stringMiscFunctions } from './scalar/string-misc.js';
import { arrayExtraFunctions } from './scalar/array-extra.js';
import { roundingFunctions } from './scalar/rounding.js';
import { miscExtraFunctions } from './scalar/misc-extra.js';
import { streamingFunctions } from './scalar/streaming-functions.js';
import { randomInType } from '../streaming/random-in-type.js';
import { count } from './aggregate/count.js';
import { emitVersion } from '../streaming/emit-version.js';
import { minMaxKFunctions } from './aggregate/min-max-k.js';
import { groupArrayFunctions } from './aggregate/group-array.js';
import { movingFunctions } from './aggregate/moving.js';
import { miscAggregateFunctions } from './aggregate/misc.js';
import { pickFunctions } from './aggregate/min-max-any.js';
import { quantileFunctions } from './aggregate/quantile.js';
import { statisticsFunctions } from './aggregate/statistics.js';
import { avg, avgWeighted, sum, sumWithOverflow } from './aggregate/sum-avg.js';
import { uniqFunctions } from './aggregate/uniq.js';
import { windowFunctions } from './window/window-functions.js';

export { FunctionRegistry } from './registry.js';
export type { FunctionListing, SpecialScalarFunction } from './registry.js';
export type { WindowFunctionDescriptor, WindowPartition, ResolvedWindowFunction } from './window/window-function.js';
export { castColumn, convertValue, type CastMode } from './core/cast.js';
export { leastSupertype } from './core/type-rules.js';
export { compareValues } from './core/compare.js';
export { renderFunctionDocs } from './docs.js';

const SCALARS: readonly (readonly ScalarFunction[])[] = [
  arithmeticFunctions,
  [positiveModulo],
  dateArithFunctions,
  comparisonFunctions,
  logicalFunctions,
  conditionalFunctions,
  nullFunctions,
  conversionFunctions,
  stringFunctions,
  stringSearchFunctions,
  dateFunctions,
  dateFormatFunctions,
  dateMiscFunctions,
  arrayFunctions,
  higherOrderFunctions,
  mapTupleFunctions,
  mathFunctions,
  bitFunctions,
  introspectionFunctions,
  otherFunctions,
  jsonFunctions,
  hashFunctions,
  aggregationStateFunctions,
  geoFunctions,
  urlFunctions,
  stringMiscFunctions,
  arrayExtraFunctions,
  roundingFunctions,
  miscExtraFunctions,
  streamingFunctions,
  [randomInType],
];

const AGGREGATES: readonly (readonly AggregateFunctionDescriptor[])[] = [
  [count, sum, sumWithOverflow, avg, avgWeighted],
  pickFunctions,
  uniqFunctions,
  quantileFunctions,
  groupArrayFunctions,
  movingFunctions,
  statisticsFunctions,
  miscAggregateFunctions,
  [emitVersion],
  minMaxKFunctions,
];

let shared: FunctionRegistry | undefined;

/** Registers every built-in function into `r`. */
export function registerBuiltins(r: FunctionRegistry): void {
  for (const family of SCALARS) for (const f of family) r.registerScalar(f);
  for (const family of AGGREGATES) for (const f of family) r.registerAggregate(f);
  for (const f of windowFunctions) r.registerWindow(f);
}

/** A registry with every built-in function registered (built once, shared). */
export function defaultRegistry(): FunctionRegistry {
  if (shared) return shared;
  const r = new FunctionRegistry();
  registerBuiltins(r);
  registryRef.current = r;
  shared = r;
  return r;
}
