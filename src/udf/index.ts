export { UserDefinedFunctions, attachUserDefinedFunctions, userDefinedFunctionsOf } from './udf-store.js';
export { definitionFromStatement, definitionFromJson, definitionJson, createQueryOf, type UdfDefinition } from './udf-definition.js';
export { JsSandbox } from './js-sandbox.js';
export { customEmission, hasCustomEmit } from './custom-emit.js';
