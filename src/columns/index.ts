export * from './column.js';
export * from './physical.js';
export * from './builder.js';
export * from './values.js';
export * from './ops.js';
