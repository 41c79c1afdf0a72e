export { createHttpServer, type HttpServer, type HttpServerOptions } from './http-server.js';
export type { OutputFormatLookup } from './output-formats.js';
