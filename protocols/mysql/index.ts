export { createMysqlServer, type MysqlServer, type MysqlServerOptions } from './mysql-server.js';
