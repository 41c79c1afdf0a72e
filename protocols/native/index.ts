export { createNativeServer, type NativeServer, type NativeServerOptions } from './native-server.js';
