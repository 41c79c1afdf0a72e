// ClickHouse / Proton error codes by name and back, from the generated error-codes.json
// (regenerate with generate-error-codes.mjs).
import { readFileSync } from 'node:fs';

/** @type {{ names: Record<string, string>, codes: Record<string, number> }} */
const table = JSON.parse(readFileSync(new URL('./error-codes.json', import.meta.url), 'utf8'));

/** @param {string} name e.g. `UNKNOWN_TABLE` @returns {number | undefined} */
export function errorCodeByName(name) {
  return table.codes[name];
}

/** @param {number} code @returns {string | undefined} the Proton name of the code */
export function errorNameByCode(code) {
  return table.names[String(code)];
}

/**
 * Resolves one token of a `serverError` annotation: a number (`60`) or a name (`UNKNOWN_TABLE`).
 * @param {string} token
 * @returns {number | undefined}
 */
export function resolveErrorCode(token) {
  const t = token.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  return errorCodeByName(t.toUpperCase());
}

/** @param {number} code @returns {string} `60 (UNKNOWN_TABLE)` */
export function describeErrorCode(code) {
  const name = errorNameByCode(code);
  return name ? `${code} (${name})` : String(code);
}
