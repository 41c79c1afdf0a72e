import type { FastifyRequest } from 'fastify';
import { quoteIdentifier } from '../../src/sql/index.js';
import { arrayElements, topLevelMembers } from './json-spans.js';
import { RestRequestError } from './rest-errors.js';
import { bodyText, jsonBody, type RestCall } from './rest-request.js';

/**
 * `POST /proton/v1/ingest/streams/{stream}` with `{"columns": [...], "data": [[...], ...]}` (Proton's
 * IngestRestRouterHandler): `INSERT INTO db.stream (cols) FORMAT JSONCompactEachRow` with the rows, as the
 * client wrote them, for input. Answers `{"request_id": …}`.
 */
export async function ingest(call: RestCall, request: FastifyRequest, stream: string): Promise<Record<string, unknown>> {
  if (stream === '') throw new RestRequestError('BAD_REQUEST_PARAMETER', 'Stream is empty');
  const payload = jsonBody(request);
  const columns = payload['columns'];
  if (columns === undefined) throw new RestRequestError('INCORRECT_DATA', "Invalid Request, 'columns' field is missing");
  if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) {
    throw new RestRequestError('INCORRECT_DATA', "Invalid Request, 'columns' field is invalid");
  }
  if (columns.length === 0) throw new RestRequestError('INCORRECT_DATA', "Invalid Request: 'columns' is empty");
  const data = payload['data'];
  if (data === undefined) throw new RestRequestError('INCORRECT_DATA', "Invalid Request, missing 'data' field");
  if (!Array.isArray(data)) throw new RestRequestError('INCORRECT_DATA', "Invalid Request, 'data' field is not an array");
  data.forEach((row, i) => {
    if (!Array.isArray(row)) throw new RestRequestError('INCORRECT_DATA', `Invalid Request, row ${i + 1} of 'data' is not an array`);
    if (row.length !== columns.length) {
      throw new RestRequestError('INCORRECT_DATA', `Invalid Request, row ${i + 1} of 'data' has ${row.length} values but ${columns.length} columns were named`);
    }
  });

  const rawData = topLevelMembers(bodyText(request)).get('data') ?? '[]';
  const rows = arrayElements(rawData);
  const target = streamName(call, stream);
  const sql = `INSERT INTO ${target} (${(columns as string[]).map(quoteIdentifier).join(', ')}) FORMAT JSONCompactEachRow`;
  const bytes = Buffer.from(rows.join('\n'), 'utf8');
  const result = await call.run(sql, {
    input: () => ({ kind: 'bytes', chunks: (async function* () { if (bytes.length > 0) yield bytes; })() }),
  });
  for await (const _ of result.blocks) { /* an INSERT answers with nothing */ }
  return { request_id: call.requestId };
}

/** `db.stream` for the session's current database (Proton: `database.\`stream\``). */
export function streamName(call: RestCall, stream: string): string {
  return `${quoteIdentifier(call.session.currentDatabase())}.${quoteIdentifier(stream)}`;
}
