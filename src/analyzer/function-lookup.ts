import type { AggregateFunctionDescriptor, ScalarFunction } from '../functions/function.js';
import type { WindowFunctionDescriptor } from '../functions/window/window-function.js';

/** What the analyzer needs from the function registry. */
export interface FunctionLookup {
  scalar(name: string): ScalarFunction | undefined;
  aggregate(name: string): AggregateFunctionDescriptor | undefined;
  isAggregate(name: string): boolean;
  window(name: string): WindowFunctionDescriptor | undefined;
}
