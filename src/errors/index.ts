export { ErrorCodes, errorNameOf, type ErrorName } from './error-codes.js';
export { DbError, InternalError, toDbError, syntaxError } from './db-error.js';
