import type { InsertStatement, Query } from '../../sql/ast.js';
import { parseExpression } from '../../sql/index.js';
import { DbError } from '../../errors/index.js';
import { Block, concatBlocks, type Header } from '../../core/block.js';
import type { TableEntry } from '../../catalog/table-entry.js';
import { Scope } from '../../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../../analyzer/expression-compiler.js';
import { materialize, defaultColumn } from '../../columns/ops.js';
import type { Column } from '../../columns/column.js';
import { getInputFormat } from '../../formats/registry.js';
import { QueryPlanner } from '../../planner/select-planner.js';
import { settingNumber } from '../../exec/query-context.js';
import { noResult, type InterpreterContext, type StatementResult } from './interpreter-context.js';
import type { InsertInput } from '../session-api.js';
import type { DataType } from '../../types/data-type.js';
import { readValue, type Value } from '../../columns/values.js';
import type { FormatOptions } from '../../formats/format.js';

function targetEntry(ctx: InterpreterContext, st: InsertStatement): TableEntry {
  if (!st.target) throw new DbError('NOT_IMPLEMENTED', 'INSERT INTO FUNCTION is not supported yet');
  const temp = !st.target.database ? ctx.temporaryTables.get(st.target.name) : undefined;
  if (temp) return temp;
  const entry = ctx.catalog.requireTable(st.target.database ?? ctx.currentDatabase, st.target.name);
  if (!entry.storage) throw new DbError('TABLE_IS_READ_ONLY', `Table ${entry.database}.${entry.name} does not accept inserts`);
  return entry;
}

/** The columns an INSERT supplies: the named ones, or every ordinary column (not MATERIALIZED/ALIAS/reserved). */
function insertHeader(entry: TableEntry, names: readonly string[] | undefined, except: readonly string[] = []): Header {
  if (names && names.includes('*')) {
    // `(* EXCEPT (a, b))` or `(*)`: every insertable column (hidden ones only when named), minus the exceptions.
    for (const n of except) {
      if (!entry.columns.some((c) => c.name === n)) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `No such column ${n} in table ${entry.database}.${entry.name}`);
    }
    names = [...insertHeader(entry, undefined).map((c) => c.name), ...names.filter((n) => n !== '*')].filter((n) => !except.includes(n));
  }
  if (!names) {
    return entry.columns
      .filter((c) => !c.hidden && c.defaultKind !== 'MATERIALIZED' && c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL')
      .map((c) => ({ name: c.name, type: c.type }));
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new DbError('DUPLICATE_COLUMN', `Column ${n} in INSERT is specified more than once`);
    seen.add(n);
  }
  return names.map((n) => {
    const c = entry.columns.find((x) => x.name === n);
    if (!c) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `No such column ${n} in table ${entry.database}.${entry.name}`);
    return { name: c.name, type: c.type };
  });
}

/** Completes a block of supplied columns into the table's physical layout, computing defaults. */
export function completeBlock(ctx: InterpreterContext, entry: TableEntry, block: Block, castExisting?: ReadonlySet<string>): Block {
  const physical = entry.columns.filter((c) => c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL');
  const scope = Scope.fromHeader(block.header);
  const env: CompileEnv = { functions: ctx.functions, fnCtx: ctx.fn, params: new Map(), subqueries: { get: () => undefined } };
  const cols: Column[] = physical.map((c) => {
    const i = block.header.findIndex((h) => h.name === c.name);
    if (i >= 0) {
      const have = block.header[i]!.type;
      if (castExisting && have.name !== c.type.name) {
        const cast = compileExpression(env, scope, { kind: 'function', name: 'CAST', args: [{ kind: 'identifier', parts: [c.name] }, { kind: 'literal', value: c.type.name }] });
        return materialize(cast.eval(block, ctx.fn));
      }
      return materialize(block.columns[i]!);
    }
    if (c.defaultExpr) {
      const compiled = compileExpression(env, scope, { kind: 'function', name: 'CAST', args: [parseExpression(c.defaultExpr), { kind: 'literal', value: c.type.name }] });
      return materialize(compiled.eval(block, ctx.fn));
    }
    return defaultColumn(c.type, block.rows);
  });
  return new Block(physical.map((c) => ({ name: c.name, type: c.type })), cols, block.rows);
}

/**
 * A block a client built (native protocol) against the header we sent: columns matched by name when every
 * name is known, by position otherwise; columns whose type differs (LowCardinality(String) for String, …)
 * are cast on the way in.
 */
function alignClientBlock(header: Header, b: Block): { block: Block; cast: ReadonlySet<string> } {
  const byName = b.header.every((c) => header.some((h) => h.name === c.name)) && new Set(b.header.map((c) => c.name)).size === b.header.length;
  if (!byName && b.header.length !== header.length) {
    throw new DbError('NUMBER_OF_COLUMNS_DOESNT_MATCH', `Number of columns doesn't match: the block has ${b.header.length}, the INSERT expects ${header.length}`);
  }
  const named = byName ? b.header : b.header.map((c, i) => ({ name: header[i]!.name, type: c.type }));
  const cast = new Set<string>();
  for (const c of named) {
    if (header.find((h) => h.name === c.name)!.type.name !== c.type.name) cast.add(c.name);
  }
  return { block: new Block(named, b.columns, b.rows), cast };
}

async function writeBlock(ctx: InterpreterContext, entry: TableEntry, block: Block, castExisting?: ReadonlySet<string>): Promise<void> {
  if (!block.rows) return;
  const full = completeBlock(ctx, entry, block, castExisting);
  await entry.storage!.insert(full);
  ctx.query.progress.writtenRows += full.rows;
  ctx.query.progress.writtenBytes += full.byteSize;
}

export async function insert(ctx: InterpreterContext, st: InsertStatement): Promise<StatementResult> {
  if (ctx.settings.get('readonly') === '1' || ctx.request.readonlyRequest) {
    throw new DbError('READONLY', 'Cannot execute query in readonly mode');
  }
  const entry = targetEntry(ctx, st);
  const header = insertHeader(entry, st.columns, st.columnsExcept);
  if (st.select) {
    await insertSelect(ctx, entry, header.map((c) => c.name), st.select);
    return noResult();
  }
  const format = st.format ?? (st.dataOffset !== undefined ? 'Values' : undefined);
  const inline = st.dataOffset !== undefined && !ctx.request.ignoreInlineData ? ctx.sql.slice(st.dataOffset, st.dataEnd ?? ctx.sql.length) : '';
  const hasInlineData = inline.trim().length > 0;
  const input: InsertInput | undefined = ctx.request.input ? await ctx.request.input({ header, format, hasInlineData }) : undefined;
  if (input?.kind === 'blocks' && !hasInlineData) {
    // Clients send small blocks (clickhouse-client: 65,536 rows): squash them, as ClickHouse does, so each
    // write to the log (one fsync) and each part carries up to min_insert_block_size_rows rows.
    const minRows = settingNumber(ctx.settings, 'min_insert_block_size_rows', 1048449);
    const minBytes = settingNumber(ctx.settings, 'min_insert_block_size_bytes', 256 << 20);
    let pending: Block[] = [];
    let rows = 0;
    let bytes = 0;
    const flush = async () => {
      if (!pending.length) return;
      const full = pending.length === 1 ? pending[0]! : concatBlocks(pending[0]!.header, pending);
      pending = [];
      rows = bytes = 0;
      await entry.storage!.insert(full);
      ctx.query.progress.writtenRows += full.rows;
      ctx.query.progress.writtenBytes += full.byteSize;
    };
    for await (const b of input.blocks) {
      ctx.query.signal.throwIfAborted();
      if (!b.rows) continue;
      const aligned = alignClientBlock(header, b);
      const full = completeBlock(ctx, entry, aligned.block, aligned.cast);
      pending.push(full);
      rows += full.rows;
      bytes += full.byteSize;
      if (rows >= minRows || bytes >= minBytes) await flush();
    }
    await flush();
    return noResult();
  }
  const fmt = getInputFormat(format ?? 'Values');
  const reader = fmt.createReader(header, {
    timezone: ctx.fn.timezone,
    settings: ctx.settings,
    blockRows: settingNumber(ctx.settings, 'max_insert_block_size', 1048449),
    evaluateExpression: (text: string, type: DataType) => evaluateConstant(ctx, text, type),
  } as FormatOptions & { blockRows: number });
  if (hasInlineData) for (const b of reader.push(Buffer.from(inline))) await writeBlock(ctx, entry, b);
  if (input?.kind === 'bytes') {
    for await (const chunk of input.chunks) {
      ctx.query.signal.throwIfAborted();
      for (const b of reader.push(chunk)) await writeBlock(ctx, entry, b);
    }
  }
  for (const b of await reader.end()) await writeBlock(ctx, entry, b);
  return noResult();
}

/** `INSERT … VALUES (now(), 1 + 1)`: a constant expression in VALUES, cast to the column type. */
function evaluateConstant(ctx: InterpreterContext, text: string, type: DataType): Value {
  const env: CompileEnv = { functions: ctx.functions, fnCtx: ctx.fn, params: ctx.planner.params, subqueries: { get: () => undefined } };
  const expr = parseExpression(text);
  const c = compileExpression(env, new Scope([]), { kind: 'function', name: 'CAST', args: [expr, { kind: 'literal', value: type.name }] });
  if (c.constant) return c.constant.value;
  // Not folded (now64(), rand()): it reads no column (the scope is empty), so evaluate it for one row.
  const col = c.eval(new Block([], [], 1), ctx.fn);
  return readValue(type, col.kind === 'const' ? col.inner : col, 0);
}

export async function insertSelect(ctx: InterpreterContext, entry: TableEntry, columns: readonly string[], query: Query): Promise<void> {
  const header = insertHeader(entry, columns);
  const node = await new QueryPlanner(ctx.planner).plan(query);
  if (node.header.length !== header.length) {
    throw new DbError('NUMBER_OF_COLUMNS_DOESNT_MATCH', `Number of columns doesn't match: the SELECT returns ${node.header.length}, the table expects ${header.length}`);
  }
  const scope = Scope.fromHeader(node.header.map((c, i) => ({ name: `__c${i}`, type: c.type })));
  const env: CompileEnv = { functions: ctx.functions, fnCtx: ctx.fn, params: new Map(), subqueries: { get: () => undefined } };
  const casts = header.map((c, i) =>
    node.header[i]!.type.name === c.type.name
      ? undefined
      : compileExpression(env, scope, { kind: 'function', name: 'CAST', args: [{ kind: 'identifier', parts: [`__c${i}`] }, { kind: 'literal', value: c.type.name }] }),
  );
  for await (const b of node.run(ctx.query)) {
    if (!b.rows) continue;
    const cols = header.map((_, i) => (casts[i] ? casts[i]!.eval(b, ctx.fn) : b.columns[i]!));
    await writeBlock(ctx, entry, new Block(header, cols, b.rows));
  }
}
