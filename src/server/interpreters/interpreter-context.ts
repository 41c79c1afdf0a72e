import type { Block, Header } from '../../core/block.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { TableEntry } from '../../catalog/table-entry.js';
import type { FunctionContext } from '../../functions/function.js';
import type { FunctionLookup } from '../../analyzer/function-lookup.js';
import type { QueryContext } from '../../exec/query-context.js';
import type { PlannerEnv } from '../../planner/planner-env.js';
import type { TableStorage } from '../../storage/table-storage.js';
import type { QueryRequest } from '../session-api.js';

/** What statement interpreters get: the query's context and the server's services. */
export interface InterpreterContext {
  readonly sql: string;
  readonly request: QueryRequest;
  readonly query: QueryContext;
  readonly fn: FunctionContext;
  readonly functions: FunctionLookup;
  readonly catalog: Catalog;
  readonly planner: PlannerEnv;
  readonly settings: ReadonlyMap<string, string>;
  readonly currentDatabase: string;
  /** Creates storage for a new table entry (or opens it at startup). */
  createStorage(entry: TableEntry): Promise<TableStorage>;
  /** Session mutations. */
  setDatabase(db: string): void;
  setSettings(values: ReadonlyMap<string, string>): void;
  /** Session temporary tables. */
  readonly temporaryTables: Map<string, TableEntry>;
}

/** A statement's answer: rows (possibly lazy) or nothing. */
export interface StatementResult {
  readonly header: Header;
  readonly hasResultSet: boolean;
  readonly blocks: AsyncIterable<Block>;
  readonly isStreaming?: boolean;
  totals?(): Block | undefined;
  rowsBeforeLimit?(): number | undefined;
}

export function noResult(): StatementResult {
  return { header: [], hasResultSet: false, blocks: (async function* () {})() };
}

export function rowsResult(header: Header, blocks: Block[]): StatementResult {
  return {
    header,
    hasResultSet: true,
    blocks: (async function* () {
      for (const b of blocks) yield b;
    })(),
  };
}
