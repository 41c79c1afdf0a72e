import path from 'node:path';
import type { TableEntry } from '../catalog/table-entry.js';
import type { Header } from '../core/block.js';
import { parseExpression } from '../sql/index.js';
import { Scope } from '../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import type { FunctionContext } from '../functions/function.js';
import { DbError } from '../errors/index.js';
import type { TableStorage } from '../storage/table-storage.js';
import { parseKafkaSettings } from './kafka-settings.js';
import { MessageDecoder } from './message-decoder.js';
import { MessageEncoder } from './message-encoder.js';
import { PositionJournal } from './position-journal.js';
import { KafkaExternalStorage, type KafkaStreamShared } from './kafka-external-storage.js';
import { userColumns } from './external-columns.js';
import { externalLog } from './external-log.js';
import { isKafkaLogStream, KafkaLogStream } from './kafka-log-store.js';

export { externalStreamColumns, VIRTUAL as EXTERNAL_VIRTUAL_COLUMNS } from './external-columns.js';
export { KafkaExternalStorage } from './kafka-external-storage.js';

/** What creating an external stream's storage needs from the engine. */
export interface ExternalStreamHost {
  readonly functions: CompileEnv['functions'];
  readonly timezone: string;
  functionContext(): FunctionContext;
}

/**
 * The storage of `CREATE EXTERNAL STREAM … SETTINGS type='kafka', …`: checks the settings and compiles
 * message_key / sharding_expr over the stream's columns. Connects lazily (a server with an external stream
 * starts while its brokers are down).
 */
export function createExternalStreamStorage(entry: TableEntry, dataDir: string, host: ExternalStreamHost): KafkaExternalStorage {
  const header: Header = entry.columns.filter((c) => c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL').map((c) => ({ name: c.name, type: c.type }));
  const user = userColumns(header);
  const settings = parseKafkaSettings(entry.settings, user);
  const env: CompileEnv = { functions: host.functions, fnCtx: host.functionContext(), params: new Map(), subqueries: { get: () => undefined } };
  const compile = (sql: string | undefined, what: string) => {
    if (!sql) return undefined;
    try {
      return compileExpression(env, Scope.fromHeader(header), parseExpression(sql));
    } catch (e) {
      const err = e as Error;
      throw new DbError(e instanceof DbError ? (e.errorName as never) : 'BAD_ARGUMENTS', `Invalid ${what} '${sql}': ${err.message}`);
    }
  };
  const name = `${entry.database}.${entry.name}`;
  const shared: KafkaStreamShared = {
    name,
    settings,
    header,
    badMessages: 0,
    decoder: new MessageDecoder(user, settings.dataFormat, host.timezone, (reason, m) => {
      const n = ++shared.badMessages;
      if (n <= 10 || n % 1000 === 0) externalLog.warn(`${name}: skipped a bad message (${n} so far) at partition ${m.partition} offset ${m.offset}: ${reason}`);
    }),
    encoder: new MessageEncoder({
      userHeader: user,
      dataFormat: settings.dataFormat,
      oneMessagePerRow: settings.oneMessagePerRow,
      maxMessageBytes: settings.maxMessageBytes,
      timezone: host.timezone,
      messageKey: compile(settings.messageKey, 'message_key'),
      shardingExpr: compile(settings.shardingExpr, 'sharding_expr'),
    }),
    journal: new PositionJournal(path.join(dataDir, 'store', entry.uuid)),
    functionContext: () => host.functionContext(),
  };
  return new KafkaExternalStorage(shared);
}

/** Bad messages skipped by an external stream's reads since the server started (undefined: not an external stream). */
export function externalBadMessages(storage: TableStorage | undefined): number | undefined {
  return storage instanceof KafkaExternalStorage ? storage.shared.badMessages : undefined;
}

/**
 * An external stream as one query reads it: Proton's `shards = '0,2'` (only those partitions) and
 * `seek_to = '5,7,0'` (an offset per partition).
 */
export function externalReadStorage(storage: TableStorage, settings: ReadonlyMap<string, string>): TableStorage {
  if (!(storage instanceof KafkaExternalStorage)) return storage;
  const shardsText = (settings.get('shards') ?? '').trim();
  const seekText = (settings.get('seek_to') ?? '').trim();
  const list = (t: string, what: string) =>
    t.split(',').map((x) => {
      const n = Number(x.trim());
      if (!Number.isInteger(n) || n < 0) throw new DbError('BAD_ARGUMENTS', `Invalid ${what} '${t}': expected non-negative integers separated by commas`);
      return n;
    });
  const shards = shardsText ? list(shardsText, 'shards') : undefined;
  const seekOffsets = /^\d+(\s*,\s*\d+)*$/.test(seekText) ? list(seekText, 'seek_to') : undefined;
  if (!shards && !seekOffsets) return storage;
  return storage.scoped({ shards, seekOffsets });
}

export { isKafkaLogStream } from './kafka-log-store.js';

/**
 * `CREATE STREAM … SETTINGS logstore='kafka', logstore_kafka_brokers=…, shards=N`: the stream's local storage
 * behind a Kafka topic as its log (src/external/kafka-log-store.ts). A stream created before starts its
 * applier in the background (the brokers may be down at server start); a new one checks the brokers and
 * creates the topic first.
 */
export async function withKafkaLogStore(local: TableStorage, entry: TableEntry, dataDir: string, timezone: string): Promise<TableStorage> {
  if (!isKafkaLogStream(entry.settings)) {
    const kind = (entry.settings['logstore'] ?? '').trim().toLowerCase();
    if (kind && kind !== 'local' && kind !== 'nativelog') {
      await local.close();
      throw new DbError('INVALID_SETTING_VALUE', `Unknown logstore '${entry.settings['logstore']}' (supported: kafka, local)`);
    }
    return local;
  }
  const log = new KafkaLogStream(local, {
    name: `${entry.database}.${entry.name}`,
    uuidDir: path.join(dataDir, 'store', entry.uuid),
    settings: entry.settings,
    timezone,
    defaultTopic: `hadron_log_${entry.database}_${entry.name}`.replace(/[^A-Za-z0-9._-]/g, '_'),
  });
  if (log.openedBefore) log.startApplier();
  else {
    try {
      await log.open();
    } catch (e) {
      await local.close();
      throw e;
    }
  }
  return log;
}
