/**
 * The REST API's paths (Proton's RestRouterFactory::registerRestRouterHandlers), under `/proton/` and
 * `/timeplusd/`. The seed README's `/v1/ddl/tables` and `/v1/ingest/tables/{t}` are kept as aliases.
 */
export type RouteName =
  | 'ping' | 'info' | 'ingest' | 'search' | 'streams' | 'stream' | 'databases' | 'database' | 'externalstreams' | 'udfs'
  | 'sqlanalyzer' | 'sqlformat';

export interface RouteMatch {
  readonly route: RouteName;
  readonly methods: readonly string[];
  readonly database?: string;
  readonly stream?: string;
  readonly func?: string;
}

const NAME = '([^/]+)';
const PATTERNS: readonly [RegExp, RouteName, readonly string[], readonly ('database' | 'stream' | 'func')[]][] = [
  [/^\/(?:proton|timeplusd)\/ping\/?$/, 'ping', ['GET', 'HEAD'], []],
  [/^\/(?:proton|timeplusd)\/info\/?$/, 'info', ['GET', 'HEAD'], []],
  [new RegExp(`^/(?:proton|timeplusd)/v1/ingest/(?:streams|tables)/${NAME}/?$`), 'ingest', ['POST'], ['stream']],
  [/^\/(?:proton|timeplusd)\/v1\/search\/?$/, 'search', ['POST'], []],
  [/^\/(?:proton|timeplusd)\/v1\/ddl\/(?:streams|tables)\/?$/, 'streams', ['GET', 'POST'], []],
  // `/ddl/streams/{x}`: a database for GET (Proton's listing path), a stream for PATCH and DELETE.
  [new RegExp(`^/(?:proton|timeplusd)/v1/ddl/(?:streams|tables)/${NAME}/?$`), 'stream', ['GET', 'PATCH', 'DELETE'], ['stream']],
  [new RegExp(`^/(?:proton|timeplusd)/v1/ddl/(?:streams|tables)/${NAME}/${NAME}/?$`), 'streams', ['GET'], ['database', 'stream']],
  [/^\/(?:proton|timeplusd)\/v1\/ddl\/databases\/?$/, 'databases', ['GET', 'POST'], []],
  [new RegExp(`^/(?:proton|timeplusd)/v1/ddl/databases/${NAME}/?$`), 'database', ['DELETE'], ['database']],
  [/^\/(?:proton|timeplusd)\/v1\/ddl\/externalstreams\/?$/, 'externalstreams', ['GET'], []],
  [/^\/(?:proton|timeplusd)\/v1\/udfs\/?$/, 'udfs', ['GET', 'POST'], []],
  [new RegExp(`^/(?:proton|timeplusd)/v1/udfs/${NAME}/?$`), 'udfs', ['GET', 'DELETE'], ['func']],
  [/^\/(?:proton|timeplusd)\/v1\/sqlanalyzer\/?$/, 'sqlanalyzer', ['POST'], []],
  [/^\/(?:proton|timeplusd)\/v1\/sqlformat\/?$/, 'sqlformat', ['POST'], []],
];

/** The route for a path (without its query string), or undefined. Path segments are percent-decoded. */
export function matchRoute(path: string): RouteMatch | undefined {
  for (const [re, route, methods, names] of PATTERNS) {
    const m = re.exec(path);
    if (m === null) continue;
    const out: { route: RouteName; methods: readonly string[]; database?: string; stream?: string; func?: string } = { route, methods };
    names.forEach((n, i) => {
      out[n] = decodeSegment(m[i + 1]!);
    });
    return out;
  }
  return undefined;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
