import type { TableEntry } from '../../src/catalog/table-entry.js';
import { formatStatement, parseStatement, quoteString, type Query, type Statement } from '../../src/sql/index.js';
import { protonTypeName } from '../../src/types/dialect.js';
import type { RestCatalog } from './ddl-handlers.js';
import { RestRequestError } from './rest-errors.js';
import { requiredString, type RestCall } from './rest-request.js';

/** Table functions that read their first argument as a stream (Proton's windowing and streaming functions). */
const STREAM_TABLE_FUNCTIONS = new Set(['tumble', 'hop', 'session', 'dedup', 'changelog']);
const STREAMING_KINDS = new Set<TableEntry['kind']>(['stream', 'materialized_view', 'random_stream', 'external_stream']);
const COMBINATORS = ['If', 'Array', 'ForEach', 'Distinct', 'OrNull', 'OrDefault', 'State', 'Merge', 'Resample'];

/** What one walk over a statement's AST finds. */
interface QueryFacts {
  /** Tables read directly (`FROM s`): streaming reads when `s` is a stream. */
  direct: { database?: string; name: string }[];
  /** Tables read through `table(s)`: historical. */
  historical: { database?: string; name: string }[];
  functionNames: Set<string>;
  identifiers: Set<string>;
  hasAsterisk: boolean;
  hasGroupBy: boolean;
  groupBy: string[];
  hasJoin: boolean;
  hasUnion: boolean;
  hasSubquery: boolean;
}

function tableArg(e: unknown): { database?: string; name: string } | undefined {
  const x = e as { kind?: string; parts?: string[] } | undefined;
  if (x?.kind !== 'identifier' || x.parts === undefined || x.parts.length === 0) return undefined;
  return x.parts.length === 1 ? { name: x.parts[0]! } : { database: x.parts[0]!, name: x.parts[1]! };
}

function collect(node: unknown, facts: QueryFacts, depth: number): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collect(n, facts, depth);
    return;
  }
  const n = node as Record<string, unknown> & { kind?: string };
  switch (n.kind) {
    case 'table':
      if (typeof n['name'] === 'string') facts.direct.push({ database: n['database'] as string | undefined, name: n['name'] });
      break;
    case 'table_function': {
      const name = String(n['name']).toLowerCase();
      const args = n['args'] as unknown[];
      const t = tableArg(args[0]);
      if (t !== undefined && name === 'table') facts.historical.push(t);
      else if (t !== undefined && STREAM_TABLE_FUNCTIONS.has(name)) facts.direct.push(t);
      break;
    }
    case 'function':
      if (n['over'] === undefined) facts.functionNames.add(String(n['name']));
      break;
    case 'identifier':
      for (const p of n['parts'] as string[]) facts.identifiers.add(p);
      break;
    case 'asterisk':
      facts.hasAsterisk = true;
      break;
    case 'join':
      if (n['joinKind'] !== undefined) facts.hasJoin = true;
      break;
    case 'set_operation':
      facts.hasUnion = true;
      break;
    case 'subquery':
      facts.hasSubquery = true;
      break;
    case 'select': {
      const groupBy = n['groupBy'] as unknown[] | undefined;
      if ((groupBy !== undefined && groupBy.length > 0) || n['groupByAll'] === true) {
        facts.hasGroupBy = true;
        if (depth === 0) {
          for (const g of groupBy ?? []) {
            const id = g as { kind?: string; parts?: string[] };
            if (id.kind === 'identifier' && id.parts !== undefined) facts.groupBy.push(id.parts[id.parts.length - 1]!);
          }
        }
      }
      for (const [k, v] of Object.entries(n)) if (k !== 'kind') collect(v, facts, k === 'columns' || k === 'groupBy' ? depth : depth + 1);
      return;
    }
    default:
      break;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'kind') collect(v, facts, depth);
}

function queryType(st: Statement): string {
  switch (st.kind) {
    case 'select':
    case 'set_operation':
      return 'SELECT';
    case 'insert': return 'INSERT';
    case 'create_database':
    case 'create_table':
    case 'create_view':
    case 'create_function':
      return 'CREATE';
    case 'drop': return 'DROP';
    case 'rename': return 'RENAME';
    case 'use': return 'USE';
    case 'set': return 'SET';
    case 'optimize': return 'OPTIMIZE';
    case 'describe': return 'DESCRIBE';
    case 'explain': return 'EXPLAIN';
    case 'alter': return 'ALTER';
    case 'kill_query': return 'KILL';
    case 'system': return 'SYSTEM';
    case 'exists': return 'EXISTS_TABLE';
    case 'show': return 'SHOW';
    default: return 'UNKNOWN';
  }
}

function stripCombinators(name: string): string[] {
  const out = [name];
  let cur = name;
  for (let changed = true; changed;) {
    changed = false;
    for (const c of COMBINATORS) {
      if (cur.length > c.length && cur.endsWith(c)) {
        cur = cur.slice(0, -c.length);
        out.push(cur);
        changed = true;
      }
    }
  }
  return out;
}

/**
 * `POST /proton/v1/sqlanalyzer {"query"}` (Proton's SQLAnalyzerRestRouterHandler): the query's type, whether
 * it is streaming (reads a stream without `table()`), whether it aggregates, the columns it reads from each
 * table and the columns it returns (the engine's own header, through `DESCRIBE (query)`).
 */
export async function analyze(call: RestCall, catalog: RestCatalog, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const query = requiredString(payload, 'query');
  if (query.trim() === '') throw new RestRequestError('BAD_REQUEST_PARAMETER', 'Empty query');
  const st = parseStatement(query);
  const facts: QueryFacts = {
    direct: [], historical: [], functionNames: new Set(), identifiers: new Set(), hasAsterisk: false, hasGroupBy: false, groupBy: [],
    hasJoin: false, hasUnion: false, hasSubquery: false,
  };
  collect(st, facts, 0);
  const isSelect = st.kind === 'select' || st.kind === 'set_operation';
  const currentDb = call.session.currentDatabase();
  const lookup = (t: { database?: string; name: string }): TableEntry | undefined => catalog.databases.get(t.database ?? currentDb)?.tables.get(t.name);

  let resultColumns: { column: string; column_type: string }[] = [];
  let hasAggr = false;
  let isStreaming = true;
  if (isSelect) {
    // The engine's own result header: DESCRIBE plans the query without running it.
    const q = { ...(st as Query) };
    delete q.format;
    const rows = await call.rows(`DESCRIBE (${formatStatement(q)})`);
    resultColumns = rows.map((r) => ({ column: String(r[0]), column_type: String(r[1]) }));
    const tableMode = (call.settings.get('query_mode') ?? '').toLowerCase() === 'table'
      || String(((st as Query).settings ?? {})['query_mode'] ?? '').toLowerCase() === 'table';
    isStreaming = !tableMode && facts.direct.some((t) => {
      const e = lookup(t);
      return e !== undefined && STREAMING_KINDS.has(e.kind);
    });
    hasAggr = facts.hasGroupBy;
    if (!hasAggr && facts.functionNames.size > 0) {
      const candidates = new Set<string>();
      for (const f of facts.functionNames) for (const c of stripCombinators(f)) candidates.add(c.toLowerCase());
      const names = [...candidates].map(quoteString).join(', ');
      const rows2 = await call.rows(`SELECT count() FROM system.functions WHERE is_aggregate AND lower(name) IN (${names})`);
      hasAggr = Number(rows2[0]?.[0] ?? 0) > 0;
    }
  }

  const required: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const t of [...facts.direct, ...facts.historical]) {
    const e = lookup(t);
    if (e === undefined) continue;
    for (const c of e.columns) {
      const wanted = facts.identifiers.has(c.name) || (facts.hasAsterisk && c.hidden !== true);
      const key = `${e.database}.${e.name}.${c.name}`;
      if (!wanted || seen.has(key)) continue;
      seen.add(key);
      required.push({
        database: e.database, table: e.name, is_view: e.kind === 'view' || e.kind === 'materialized_view', column: c.name, column_type: protonTypeName(c.type.name),
      });
    }
  }

  return {
    original_query: query,
    rewritten_query: query,
    query_type: queryType(st),
    has_aggr: hasAggr,
    has_table_join: facts.hasJoin,
    has_union: facts.hasUnion,
    has_subquery: facts.hasSubquery,
    is_streaming: isSelect ? isStreaming : true,
    required_columns: required,
    group_by_columns: [...new Set(facts.groupBy)].sort(),
    result_columns: resultColumns,
  };
}

/** `POST /proton/v1/sqlformat {"query"}`: the statement as Hadron's formatter prints it. */
export function formatSql(call: RestCall, payload: Record<string, unknown>): Record<string, unknown> {
  const query = requiredString(payload, 'query');
  return { request_id: call.requestId, query: formatStatement(parseStatement(query)) };
}
