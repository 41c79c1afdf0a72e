import type { Server } from 'node:http';
import Fastify, {
  LogController, type FastifyBaseLogger, type FastifyHttpOptions, type FastifyInstance, type FastifyReply, type FastifyRequest,
} from 'fastify';
import { initZstd } from '../../src/compression/index.js';
import type { SessionFactory } from '../../src/server/session-api.js';
import { HttpSessionRegistry } from './http-session-registry.js';
import { registryFormats, type OutputFormatLookup } from './output-formats.js';
import { PLAY_PAGE } from './play-page.js';
import { handleQuery, type QueryHandlerContext } from './query-handler.js';

export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** A pino/fastify logger, or true for fastify's default one; silent when absent. */
  readonly logger?: FastifyBaseLogger | boolean;
  /** Output formats; the engine's format registry by default (tests substitute their own). */
  readonly formats?: OutputFormatLookup;
  /** Largest query text when the client does not set `max_query_size` (default 256 MiB). */
  readonly maxQuerySize?: number;
  /** Largest request body decoded in one piece (zstd Content-Encoding; default 256 MiB). */
  readonly maxBufferedBody?: number;
  /** `session_timeout` default and maximum, in seconds (ClickHouse: 60 and 3600). */
  readonly defaultSessionTimeoutSec?: number;
  readonly maxSessionTimeoutSec?: number;
  /** Idle keep-alive connections are closed after this many seconds (ClickHouse: 10). */
  readonly keepAliveTimeoutSec?: number;
  /** Longest accepted request line plus headers, i.e. `GET /?query=…` (default 1 MiB, as http_max_uri_size). */
  readonly maxHeaderSize?: number;
  /** The body of `GET /` and `/ping` (http_server_default_response). */
  readonly defaultResponse?: string;
}

export interface HttpServer {
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

const MiB = 1 << 20;

/**
 * ClickHouse's HTTP interface (HTTPHandler + static handlers) over the Session API: `/`, `/ping`,
 * `/replicas_status`, `/play`, and queries on any other path.
 */
export function createHttpServer(engine: SessionFactory, options: HttpServerOptions): HttpServer {
  const logger = options.logger;
  const fastifyOptions: FastifyHttpOptions<Server, FastifyBaseLogger> = {
    // Queries are logged by the handler, with their query ids; per-request access logs would cost more than a SELECT 1.
    logController: new LogController({ disableRequestLogging: true }),
    keepAliveTimeout: (options.keepAliveTimeoutSec ?? 10) * 1000,
    requestTimeout: 0,
    forceCloseConnections: true,
    http: { maxHeaderSize: options.maxHeaderSize ?? MiB },
  };
  const app: FastifyInstance = typeof logger === 'object'
    ? Fastify({ ...fastifyOptions, loggerInstance: logger })
    : Fastify({ ...fastifyOptions, logger: logger === true });

  const sessions = new HttpSessionRegistry(engine, {
    defaultTimeoutSec: options.defaultSessionTimeoutSec ?? 60,
    maxTimeoutSec: options.maxSessionTimeoutSec ?? 3600,
  });
  const ctx: QueryHandlerContext = {
    engine,
    sessions,
    formats: options.formats ?? registryFormats,
    maxQuerySize: options.maxQuerySize ?? 256 * MiB,
    maxBufferedBody: options.maxBufferedBody ?? 256 * MiB,
  };
  const okText = options.defaultResponse ?? 'Ok.\n';

  // Bodies are query text or INSERT data in any content type: never let fastify read, limit or reject them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  app.addHook('onRequest', (request, _reply, done) => {
    // An unparsable Content-Type would otherwise be refused before the handler sees the request.
    delete request.raw.headers['content-type'];
    done();
  });

  const ok = (_request: FastifyRequest, reply: FastifyReply): void => {
    void reply.header('Content-Type', 'text/html; charset=UTF-8').send(okText);
  };
  const query = (request: FastifyRequest, reply: FastifyReply): Promise<void> => handleQuery(ctx, request, reply);

  app.get('/ping', ok);
  app.get('/replicas_status', ok);
  app.get('/play', (_request, reply) => {
    void reply.header('Content-Type', 'text/html; charset=UTF-8').send(PLAY_PAGE);
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/',
    handler: (request, reply) => {
      if (request.method === 'GET' && !hasQueryParam(request)) return ok(request, reply);
      return query(request, reply);
    },
  });
  app.route({ method: ['GET', 'POST'], url: '/*', handler: query });

  return {
    async listen() {
      // ZSTD (compress=1 with network_compression_method=zstd, zstd Content-Encoding) needs its wasm module.
      await initZstd();
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      return { port };
    },
    async close() {
      sessions.closeAll();
      await app.close();
    },
  };
}

function hasQueryParam(request: FastifyRequest): boolean {
  const q = request.query as Record<string, unknown> | undefined;
  return q !== undefined && q !== null && q['query'] !== undefined;
}
