import type { FunctionLookup } from '../analyzer/function-lookup.js';
import type { ScalarFunction } from '../functions/function.js';
import { streamingNeighbor } from '../functions/scalar/streaming-functions.js';

/** Proton's streaming substitutes (SubstituteStreamingFunction): functions that mean something else over an unbounded stream. */
const SUBSTITUTES: ReadonlyMap<string, ScalarFunction> = new Map([['neighbor', streamingNeighbor]]);

const cache = new WeakMap<FunctionLookup, FunctionLookup>();

/** The functions of a streaming SELECT: `neighbor` reaches earlier rows across blocks, as Proton's __streaming_neighbor. */
export function streamingFunctionLookup(base: FunctionLookup): FunctionLookup {
  let lookup = cache.get(base);
  if (!lookup) {
    lookup = {
      scalar: (name) => SUBSTITUTES.get(name) ?? base.scalar(name),
      aggregate: (name) => base.aggregate(name),
      isAggregate: (name) => base.isAggregate(name),
      window: (name) => base.window(name),
    };
    cache.set(base, lookup);
  }
  return lookup;
}
