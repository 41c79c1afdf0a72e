import os from 'node:os';
import path from 'node:path';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DbError } from '../errors/index.js';
import { Catalog } from '../catalog/catalog.js';
import type { TableEntry } from '../catalog/table-entry.js';
import type { SystemContext } from '../catalog/system/system-tables.js';
import type { FunctionLookup } from '../analyzer/function-lookup.js';
import type { ServerFacts } from '../functions/function.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { defaultRegistry } from '../functions/index.js';
import { listFormats } from '../formats/registry.js';
import type { TableStorage } from '../storage/table-storage.js';
import { systemTimezone } from '../types/time.js';
import type { ClientInfo, Credentials, Session, SessionFactory } from './session-api.js';
import { QueryRegistry } from './query-registry.js';
import { SessionImpl } from './session.js';
import { createTableStorage } from './storage-factory.js';
import { MaterializedViews } from '../streaming/materialized-views.js';
import { createMaterializedViewHost } from './materialized-view-host.js';
import { attachUserDefinedFunctions, UserDefinedFunctions } from '../udf/index.js';

export interface UserConfig {
  readonly name: string;
  /** Hex SHA-256 of the password (ClickHouse's password_sha256_hex); absent = no password. */
  readonly passwordSha256Hex?: string;
  readonly password?: string;
  readonly defaultDatabase?: string;
}

export interface EngineConfig {
  readonly dataDir: string;
  readonly users?: readonly UserConfig[];
  readonly timezone?: string;
  readonly displayName?: string;
}

export const HADRON_VERSION = { major: 24, minor: 8, patch: 1, revision: 54460, text: '24.8.1.1' } as const;

/** The engine behind every protocol: catalog, storage, functions, sessions and running queries. */
export class Engine implements SessionFactory {
  readonly catalog: Catalog;
  readonly queries = new QueryRegistry();
  readonly registry: FunctionRegistry;
  readonly functions: FunctionLookup;
  readonly timezone: string;
  readonly serverFacts: ServerFacts;
  readonly serverInfo: SessionFactory['serverInfo'];
  private readonly users: Map<string, UserConfig>;
  /** Materialized views running in the background (started with the engine, checkpointed on stop). */
  readonly materializedViews: MaterializedViews;
  /** CREATE FUNCTION: JavaScript UDFs / UDAs and SQL lambdas, resolved after the built-in functions. */
  readonly udfs: UserDefinedFunctions;

  constructor(readonly config: EngineConfig) {
    this.catalog = new Catalog(path.join(config.dataDir, 'metadata'));
    this.registry = defaultRegistry();
    const reg = this.registry;
    const udfs = new UserDefinedFunctions(path.join(config.dataDir, 'user_defined'), () => this.functions, (n) => reg.has(n));
    this.udfs = udfs;
    attachUserDefinedFunctions(this.catalog, udfs);
    this.functions = {
      scalar: (n) => reg.getScalar(n) ?? udfs.scalar(n),
      aggregate: (n) => reg.getAggregate(n) ?? udfs.aggregate(n),
      isAggregate: (n) => reg.isAggregate(n) || udfs.aggregate(n) !== undefined,
      window: (n) => reg.getWindow(n),
    };
    this.timezone = config.timezone ?? systemTimezone();
    const displayName = config.displayName ?? os.hostname();
    this.serverFacts = {
      version: HADRON_VERSION.text,
      revision: HADRON_VERSION.revision,
      displayName,
      hostName: os.hostname(),
      startTimeMs: Date.now(),
      serverTimezone: this.timezone,
    };
    this.serverInfo = {
      version: HADRON_VERSION.text,
      revision: HADRON_VERSION.revision,
      displayName,
      timezone: this.timezone,
      versionMajor: HADRON_VERSION.major,
      versionMinor: HADRON_VERSION.minor,
      versionPatch: HADRON_VERSION.patch,
    };
    const users = config.users?.length ? config.users : [{ name: 'default' }];
    this.users = new Map(users.map((u) => [u.name, u]));
    this.materializedViews = new MaterializedViews(this.catalog, createMaterializedViewHost(this));
  }

  async start(): Promise<void> {
    await this.udfs.load();
    const tables = await this.catalog.load();
    for (const t of tables) if (t.kind !== 'view' && t.kind !== 'random_stream' && !(t.kind === 'materialized_view' && t.target)) t.storage = await this.createStorage(t);
    this.materializedViews.startAll();
  }

  async stop(): Promise<void> {
    await this.materializedViews.stopAll();
    await this.udfs.close();
    for (const db of this.catalog.databases.values()) {
      for (const t of db.tables.values()) await t.storage?.close();
    }
  }

  createStorage(entry: TableEntry): Promise<TableStorage> {
    return createTableStorage(entry, this.config.dataDir, this);
  }

  private authenticate(credentials: Credentials): UserConfig {
    const user = this.users.get(credentials.user || 'default');
    const fail = () => new DbError('AUTHENTICATION_FAILED', `${credentials.user || 'default'}: Authentication failed: password is incorrect, or there is no user with such name.`);
    if (!user) throw fail();
    if (credentials.passwordSha256 !== undefined) {
      const want = user.passwordSha256Hex ? Buffer.from(user.passwordSha256Hex, 'hex') : createHash('sha256').update(user.password ?? '').digest();
      const got = Buffer.from(credentials.passwordSha256);
      if (want.length !== got.length || !timingSafeEqual(got, want)) throw fail();
    } else if (user.passwordSha256Hex) {
      const got = createHash('sha256').update(credentials.password).digest();
      const want = Buffer.from(user.passwordSha256Hex, 'hex');
      if (want.length !== got.length || !timingSafeEqual(got, want)) throw fail();
    } else if (user.password !== undefined) {
      if (credentials.password !== user.password) throw fail();
    } else if (credentials.password) throw fail();
    return user;
  }

  openSession(credentials: Credentials, client: ClientInfo, options?: { database?: string; sessionId?: string }): Session {
    const user = this.authenticate(credentials);
    const database = options?.database || user.defaultDatabase || 'default';
    this.catalog.database(database);
    return new SessionImpl(this, user.name, client, database, options?.sessionId);
  }

  cancelQuery(queryId: string): boolean {
    return this.queries.cancel(queryId);
  }

  systemContext(session: SessionImpl, querySettings?: ReadonlyMap<string, string>): SystemContext {
    return {
      catalog: this.catalog,
      functions: () => [...this.registry.list(), ...this.udfs.listing()],
      formats: () => listFormats(),
      settings: () => querySettings ?? session.settings(),
      processes: () =>
        this.queries.list().map((q) => ({
          queryId: q.queryId,
          user: q.user,
          query: q.query,
          elapsedMs: Date.now() - q.startMs,
          readRows: q.progress.readRows,
          readBytes: q.progress.readBytes,
          totalRowsApprox: q.progress.totalRowsToRead,
          writtenRows: q.progress.writtenRows,
          writtenBytes: q.progress.writtenBytes,
          lateEvents: q.progress.lateEvents,
          isCancelled: q.controller.signal.aborted,
          address: q.address,
          interface: q.interface,
        })),
      currentDatabase: session.currentDatabase(),
      tableEngines: ['Stream', 'MergeTree', 'ReplacingMergeTree', 'Memory', 'View', 'MaterializedView', 'Null'],
    };
  }
}
