export { createRestServer, type RestServer, type RestServerOptions } from './rest-server.js';
