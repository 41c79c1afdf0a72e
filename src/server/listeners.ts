import type { Logger } from 'pino';
import type { Engine } from './engine.js';
import { createHttpServer } from '../../protocols/http/index.js';
import { createMysqlServer } from '../../protocols/mysql/index.js';
import { createNativeServer } from '../../protocols/native/index.js';
import { getOutputFormat } from '../formats/registry.js';
import { createPostgresServer } from '../../protocols/postgres/index.js';
import { createRestServer } from '../../protocols/rest/index.js';

/** The names of the network interfaces; each has a port in the config (0 = disabled). */
export type ListenerName = 'http' | 'tcp' | 'mysql' | 'postgres' | 'rest';

/** A started protocol listener. */
export interface ProtocolListener {
  readonly port: number;
  close(): Promise<void>;
}

export interface ListenerContext {
  readonly engine: Engine;
  readonly host: string;
  /** 0 = an ephemeral port. */
  readonly port: number;
  readonly logger: Logger;
}

export interface ListenerSpec {
  readonly name: ListenerName;
  /** The config field holding the port. */
  readonly portKey: 'httpPort' | 'tcpPort' | 'mysqlPort' | 'postgresPort' | 'restPort';
  readonly description: string;
  start(ctx: ListenerContext): Promise<ProtocolListener>;
}

/** Every protocol the server can start, in start order. Protocols are thin adapters over the Session API. */
export const LISTENERS: readonly ListenerSpec[] = [
  {
    name: 'http',
    portKey: 'httpPort',
    description: 'HTTP interface',
    async start({ engine, host, port, logger }) {
      const http = createHttpServer(engine, { host, port, logger, formats: { getOutputFormat: (name: string) => getOutputFormat(name) } });
      const bound = await http.listen();
      return { port: bound.port, close: () => http.close() };
    },
  },
  {
    name: 'tcp',
    portKey: 'tcpPort',
    description: 'Native protocol (TCP)',
    async start({ engine, host, port, logger }) {
      const native = createNativeServer(engine, { host, port, logger });
      const bound = await native.listen();
      return { port: bound.port, close: () => native.close() };
    },
  },
  {
    name: 'mysql',
    portKey: 'mysqlPort',
    description: 'MySQL wire protocol',
    async start({ engine, host, port, logger }) {
      const mysql = createMysqlServer(engine, { host, port, logger });
      const bound = await mysql.listen();
      return { port: bound.port, close: () => mysql.close() };
    },
  },
  {
    name: 'postgres',
    portKey: 'postgresPort',
    description: 'Postgres wire protocol',
    async start({ engine, host, port, logger }) {
      const pg = createPostgresServer(engine, { host, port, logger });
      const bound = await pg.listen();
      return { port: bound.port, close: () => pg.close() };
    },
  },
  {
    name: 'rest',
    portKey: 'restPort',
    description: 'Proton REST API (/proton/…)',
    async start({ engine, host, port, logger }) {
      const rest = createRestServer(engine, engine.catalog, { host, port, logger });
      const bound = await rest.listen();
      return { port: bound.port, close: () => rest.close() };
    },
  },
];
