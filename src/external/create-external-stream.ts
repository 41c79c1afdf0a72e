import type { ColumnDef, CreateTableStatement } from '../sql/ast.js';
import { formatStatement } from '../sql/index.js';
import { DbError } from '../errors/index.js';
import { Catalog } from '../catalog/catalog.js';
import type { ColumnMeta, TableEntry } from '../catalog/table-entry.js';
import { noResult, type InterpreterContext, type StatementResult } from '../server/interpreters/interpreter-context.js';
import { externalStreamColumns, VIRTUAL } from './external-columns.js';
import { KafkaExternalStorage } from './kafka-external-storage.js';

const CHECK_TIMEOUT_MS = 15_000;

/**
 * `CREATE EXTERNAL STREAM [IF NOT EXISTS] e (cols) SETTINGS type='kafka', brokers=…, topic=…, …`: the entry
 * (kind external_stream, engine ExternalStream) with the virtual columns, its Kafka storage, and a check that
 * the brokers answer and the topic exists. (The caller has handled IF NOT EXISTS / OR REPLACE.)
 */
export async function createExternalStream(
  ctx: InterpreterContext,
  st: CreateTableStatement,
  database: string,
  columnMeta: (def: ColumnDef) => ColumnMeta,
  settings: Record<string, string>,
): Promise<StatementResult> {
  if (st.asSelect || st.asTable) throw new DbError('INCORRECT_QUERY', 'An external stream cannot be created AS SELECT or AS another table');
  if (st.temporary) throw new DbError('INCORRECT_QUERY', 'An external stream cannot be temporary');
  if (!st.columns.length) throw new DbError('EMPTY_LIST_OF_COLUMNS_QUERIED', 'An external stream needs its columns, e.g. (raw string)');
  const declared = st.columns.map(columnMeta);
  const names = new Set<string>();
  for (const c of declared) {
    if (c.name in VIRTUAL) throw new DbError('ILLEGAL_COLUMN', `Column ${c.name} is reserved: external streams have it as a virtual column`);
    if (names.has(c.name)) throw new DbError('DUPLICATE_COLUMN', `Column ${c.name} already exists`);
    names.add(c.name);
  }
  const entry: TableEntry = {
    database,
    name: st.table.name,
    uuid: Catalog.newUuid(),
    kind: 'external_stream',
    engine: 'ExternalStream',
    engineArgs: [],
    columns: externalStreamColumns(declared),
    orderBy: [],
    primaryKey: [],
    ttl: [],
    settings,
    comment: st.comment ?? '',
    // SHOW CREATE hides the password, as ClickHouse does for secrets.
    createQuery: formatStatement({ ...st, ifNotExists: false, orReplace: false, settings: st.settings && 'password' in st.settings ? { ...st.settings, password: '[HIDDEN]' } : st.settings }),
    metadataModificationTimeMs: Date.now(),
  };
  const storage = await ctx.createStorage(entry);
  if (storage instanceof KafkaExternalStorage) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), CHECK_TIMEOUT_MS);
    const onAbort = () => ac.abort();
    ctx.query.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await storage.check(ac.signal);
    } catch (e) {
      await storage.close();
      throw e;
    } finally {
      clearTimeout(timer);
      ctx.query.signal.removeEventListener('abort', onAbort);
    }
  }
  entry.storage = storage;
  await ctx.catalog.saveTable(entry);
  return noResult();
}
