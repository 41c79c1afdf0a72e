import type { Block } from '../core/block.js';
import type { Expr, Query, TableFunctionRef } from '../sql/ast.js';
import type { FunctionContext } from '../functions/function.js';
import type { FunctionLookup } from '../analyzer/function-lookup.js';
import type { PlanNode } from './plan-node.js';
import type { TableEntry } from '../catalog/table-entry.js';

/** What the planner needs from the session and the catalog. */
export interface PlannerEnv {
  readonly functions: FunctionLookup;
  readonly fnCtx: FunctionContext;
  readonly params: ReadonlyMap<string, string>;
  readonly settings: ReadonlyMap<string, string>;
  readonly currentDatabase: string;
  /** A catalog table (or a temporary table) by name; undefined when it does not exist. */
  lookupTable(database: string | undefined, name: string): TableEntry | undefined;
  databaseExists(name: string): boolean;
  /** System tables (system.*, information_schema.*) as a plan, or undefined. */
  systemTable(database: string, name: string): PlanNode | undefined;
  /** Table functions other than the ones the planner knows itself. */
  tableFunction?(ref: TableFunctionRef, constArgs: (e: Expr) => unknown): PlanNode | undefined;
  /** Runs a plan to completion (subqueries, IN sets). */
  runToBlock(node: PlanNode): Promise<Block>;
  /** Parses a stored view definition. */
  parseQuery(sql: string): Query;
}
