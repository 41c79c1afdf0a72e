import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import os from 'node:os';
import zlib from 'node:zlib';
import Fastify, {
  LogController, type FastifyBaseLogger, type FastifyHttpOptions, type FastifyInstance, type FastifyReply, type FastifyRequest,
} from 'fastify';
import { DbError } from '../../src/errors/index.js';
import type { SessionFactory } from '../../src/server/session-api.js';
import {
  createDatabase, createStream, deleteStream, dropDatabase, listDatabases, listExternalStreams, listStreams, updateStream,
  type RestCatalog,
} from './ddl-handlers.js';
import { ingest } from './ingest-handler.js';
import { asDbError, restErrorBody, restStatusOf, RestRequestError } from './rest-errors.js';
import { matchRoute, type RouteMatch } from './rest-routes.js';
import { jsonBody, lastParam, openCall, requestIdOf, type RestCall } from './rest-request.js';
import { search } from './search-handler.js';
import { createUdf, deleteUdf, listUdfs } from './udf-handlers.js';
import { analyze, formatSql } from './sql-analyzer.js';

export interface RestServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly logger?: FastifyBaseLogger;
  /** Largest request body accepted (default 256 MiB); larger ones get 413 and nothing is inserted. */
  readonly maxBodySize?: number;
  readonly keepAliveTimeoutSec?: number;
}

export interface RestServer {
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

const MiB = 1 << 20;
type Json = Record<string, unknown>;

/**
 * Proton's REST API (`/proton/...`, port 3218) over the Session API: ingest, search (streamed), DDL on
 * streams and databases, SQL analysis and formatting, ping and build info. Every answer is JSON; errors
 * are `{"code", "error_msg", "request_id"}` with the HTTP status the HTTP interface uses for that code.
 */
export function createRestServer(engine: SessionFactory, catalog: RestCatalog, options: RestServerOptions): RestServer {
  const fastifyOptions: FastifyHttpOptions<Server, FastifyBaseLogger> = {
    logController: new LogController({ disableRequestLogging: true }),
    keepAliveTimeout: (options.keepAliveTimeoutSec ?? 10) * 1000,
    requestTimeout: 0,
    forceCloseConnections: true,
    bodyLimit: options.maxBodySize ?? 256 * MiB,
  };
  const app: FastifyInstance = options.logger !== undefined
    ? Fastify({ ...fastifyOptions, loggerInstance: options.logger })
    : Fastify({ ...fastifyOptions, logger: false });
  const serverUuid = randomUUID();

  // Bodies are JSON whatever the Content-Type says (curl sends form-urlencoded by default): read raw bytes.
  app.removeAllContentTypeParsers();
  const bodyLimit = options.maxBodySize ?? 256 * MiB;
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, decodeBody(body as Buffer, request.headers['content-encoding'], bodyLimit));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers['content-type'] === undefined || request.headers['content-type'] === '') request.headers['content-type'] = 'application/json';
    done();
  });
  app.setErrorHandler((error: Error & { code?: unknown; statusCode?: number }, request, reply) => {
    const requestId = requestIdOf(request);
    let err: DbError;
    if (error instanceof DbError) err = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') err = new DbError('QUERY_IS_TOO_LARGE', `Request body is too large (limit ${bodyLimit} bytes)`);
    else if (typeof error.code === 'string' && error.code.startsWith('FST_')) err = new RestRequestError('BAD_REQUEST_PARAMETER', error.message, error.statusCode ?? 400);
    else err = asDbError(error);
    sendError(reply, err, requestId);
  });
  app.setNotFoundHandler((request, reply) => {
    sendError(reply, new RestRequestError('BAD_REQUEST_PARAMETER', `Unknown URI ${request.url.split('?')[0]}`, 404), requestIdOf(request));
  });

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const requestId = requestIdOf(request);
    const path = request.url.split('?')[0] ?? '';
    const match = matchRoute(path);
    if (match === undefined) return sendError(reply, new RestRequestError('BAD_REQUEST_PARAMETER', `Unknown URI ${path}`, 404), requestId);
    if (!match.methods.includes(request.method)) {
      return sendError(reply, new RestRequestError('BAD_REQUEST_PARAMETER', 'HTTP method requested is not supported', 501), requestId);
    }
    if (match.route === 'ping') return sendJson(reply, 200, { status: 'UP' });
    if (match.route === 'info') return sendJson(reply, 200, info(engine, serverUuid));

    const abort = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    let call: RestCall | undefined;
    try {
      call = openCall(engine, request, abort.signal, requestId);
      if (match.route === 'search') return await search(call, request, reply);
      sendJson(reply, 200, await dispatch(call, catalog, match, request));
    } catch (e) {
      const err = asDbError(e);
      if (reply.sent || reply.raw.headersSent) {
        if (!reply.raw.destroyed) reply.raw.destroy();
        return;
      }
      sendError(reply, err, requestId);
    } finally {
      call?.session.close();
    }
  };

  app.route({ method: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'PUT'], url: '/*', handler: handle });

  return {
    async listen() {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address();
      return { port: typeof address === 'object' && address !== null ? address.port : options.port };
    },
    async close() {
      await app.close();
    },
  };
}

async function dispatch(call: RestCall, catalog: RestCatalog, match: RouteMatch, request: FastifyRequest): Promise<Json> {
  const method = request.method;
  const includeInternal = ['1', 'true'].includes((lastParam(request, 'include_internal_streams') ?? '').toLowerCase());
  switch (match.route) {
    case 'ingest':
      return ingest(call, request, match.stream ?? '');
    case 'streams':
      if (method === 'POST') return createStream(call, jsonBody(request));
      return listStreams(call, catalog, match.database, match.stream, includeInternal);
    case 'stream':
      if (method === 'GET') return listStreams(call, catalog, match.stream, undefined, includeInternal);
      if (method === 'PATCH') return updateStream(call, match.stream ?? '', jsonBody(request));
      return deleteStream(call, match.stream ?? '', lastParam(request, 'mode'));
    case 'databases':
      if (method === 'POST') return createDatabase(call, jsonBody(request));
      return listDatabases(call);
    case 'database':
      return dropDatabase(call, match.database ?? '');
    case 'externalstreams':
      return listExternalStreams(call, catalog);
    case 'udfs':
      if (method === 'POST') return createUdf(call, jsonBody(request));
      if (method === 'DELETE') return deleteUdf(call, match.func);
      return listUdfs(call, match.func);
    case 'sqlanalyzer':
      return analyze(call, catalog, jsonBody(request));
    case 'sqlformat':
      return formatSql(call, jsonBody(request));
    default:
      throw new RestRequestError('BAD_REQUEST_PARAMETER', `Unknown URI ${request.url}`, 404);
  }
}

/** `/proton/info` (Proton's PingHandler): build and server facts. */
function info(engine: SessionFactory, uuid: string): Json {
  const s = engine.serverInfo;
  return {
    build: { version: s.version, time: '', commit_sha: '', edition: 'Hadron', name: 'proton' },
    server: { uuid, num_of_physical_cpu_cores: os.availableParallelism(), memory_amount: os.totalmem() },
  };
}

/** A body in `Content-Encoding` gzip, deflate or br (Proton's ingest accepts compressed bodies), decoded within the limit. */
function decodeBody(body: Buffer, encoding: string | undefined, limit: number): Buffer {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return body;
  const options = { maxOutputLength: limit };
  try {
    if (e === 'gzip' || e === 'x-gzip') return zlib.gunzipSync(body, options);
    if (e === 'deflate') return zlib.inflateSync(body, options);
    if (e === 'br') return zlib.brotliDecompressSync(body, options);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new DbError('QUERY_IS_TOO_LARGE', `Decompressed request body is too large (limit ${limit} bytes)`);
    throw new DbError('CANNOT_DECOMPRESS', `Cannot decompress the request body (${e}): ${(err as Error).message}`);
  }
  throw new DbError('UNKNOWN_COMPRESSION_METHOD', `Unknown Content-Encoding of the request body: ${e}`);
}

function sendJson(reply: FastifyReply, status: number, body: Json): void {
  void reply.code(status).header('Content-Type', 'application/json; charset=UTF-8').send(JSON.stringify(body));
}

function sendError(reply: FastifyReply, err: DbError, requestId: string): void {
  void reply
    .code(restStatusOf(err))
    .header('X-ClickHouse-Exception-Code', String(err.code))
    .header('Content-Type', 'application/json; charset=UTF-8')
    .send(JSON.stringify(restErrorBody(err, requestId)) + '\n');
}
