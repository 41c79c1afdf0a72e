export { createPostgresServer, type PostgresServer, type PostgresServerOptions } from './pg-server.js';
