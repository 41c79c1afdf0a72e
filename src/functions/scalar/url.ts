import { arrayType, isStringLike, T } from '../../types/data-type.js';
import type { Value } from '../../columns/values.js';
import type { ArgumentInfo, ScalarFunction } from '../function.js';
import { illegalType } from '../core/args.js';
import { rowwise } from '../core/rowwise.js';

const CATEGORY = 'URL';

function requireString(name: string, args: readonly ArgumentInfo[], i: number): void {
  if (!isStringLike(args[i]!.type)) throw illegalType(name, args[i]!.type, i);
}

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;

/** Parts of a URL as offsets into it (ClickHouse's lenient URL splitting, no validation beyond the host). */
interface UrlParts {
  /** end of the scheme (index of ':'), or -1 */
  schemeEnd: number;
  hostStart: number;
  hostEnd: number;
  /** start of user:password@ (= hostStart when absent) */
  netlocStart: number;
  /** end of host[:port] */
  authorityEnd: number;
  /** 'port' text, '' if absent */
  port: string;
  /** true when the URL has '//' (an authority) */
  hasAuthority: boolean;
}

function schemeEnd(url: string): number {
  let i = 0;
  while (i < url.length && SCHEME_CHAR.test(url[i]!)) i++;
  if (i > 0 && url[i] === ':' && /[A-Za-z]/.test(url[0]!)) return i;
  return -1;
}

function parseUrl(url: string): UrlParts {
  const se = schemeEnd(url);
  let pos: number;
  let hasAuthority = false;
  if (url.startsWith('//')) {
    pos = 2;
    hasAuthority = true;
  } else if (se >= 0 && url.startsWith('//', se + 1)) {
    pos = se + 3;
    hasAuthority = true;
  } else if (se >= 0 && !/^\d/.test(url.slice(se + 1))) {
    // mailto:x, urn:… — no host
    return { schemeEnd: se, hostStart: 0, hostEnd: 0, netlocStart: 0, authorityEnd: 0, port: '', hasAuthority: false };
  } else pos = 0;
  const netlocStart = pos;
  let end = pos;
  while (end < url.length && !'/?#'.includes(url[end]!)) end++;
  const authority = url.slice(pos, end);
  const at = authority.lastIndexOf('@');
  const hostStart = at >= 0 ? pos + at + 1 : pos;
  let hostEnd = hostStart;
  if (url[hostStart] === '[') {
    const close = url.indexOf(']', hostStart);
    hostEnd = close >= 0 && close < end ? close + 1 : end;
  } else while (hostEnd < end && url[hostEnd] !== ':') hostEnd++;
  const port = url[hostEnd] === ':' ? url.slice(hostEnd + 1, end) : '';
  return { schemeEnd: se, hostStart, hostEnd, netlocStart, authorityEnd: end, port, hasAuthority };
}

function host(url: string): string {
  const p = parseUrl(url);
  const h = url.slice(p.hostStart, p.hostEnd);
  // ClickHouse gives '' for a host with characters a host cannot have
  if (/[\s<>"`{}|\\^]/.test(h)) return '';
  return h;
}

function pathStart(url: string): number {
  const p = parseUrl(url);
  if (!p.hasAuthority) return -1;
  return p.authorityEnd;
}

function path(url: string): string {
  const s = pathStart(url);
  if (s < 0) return '';
  let e = s;
  while (e < url.length && url[e] !== '?' && url[e] !== '#') e++;
  return url.slice(s, e);
}

function pathFull(url: string): string {
  const s = pathStart(url);
  return s < 0 ? '' : url.slice(s);
}

function queryString(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const h = url.indexOf('#');
  if (h >= 0 && h < q) return '';
  return url.slice(q + 1, h < 0 ? url.length : h);
}

function fragment(url: string): string {
  const h = url.indexOf('#');
  return h < 0 ? '' : url.slice(h + 1);
}

function queryStringAndFragment(url: string): string {
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  if (q >= 0 && (h < 0 || q < h)) return url.slice(q + 1);
  if (h >= 0) return url.slice(h);
  return '';
}

/** name=value pairs of the query string and fragment (ClickHouse looks at both). */
function parameters(url: string): string[] {
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  let start = q >= 0 ? q : h;
  if (start < 0) return [];
  if (h >= 0 && h < start) start = h;
  const out: string[] = [];
  for (const part of url.slice(start + 1).split(/[&#?]/)) if (part !== '') out.push(part);
  return out;
}

function paramName(p: string): string {
  const e = p.indexOf('=');
  return e < 0 ? p : p.slice(0, e);
}

function extractParameter(url: string, name: string): string {
  for (const p of parameters(url)) {
    const e = p.indexOf('=');
    if (e >= 0 && p.slice(0, e) === name) return p.slice(e + 1);
    if (e < 0 && p === name) return '';
  }
  return '';
}

function stripWWW(h: string): string {
  return h.startsWith('www.') ? h.slice(4) : h;
}

const COMMON_SECOND_LEVEL = new Set(['com', 'net', 'org', 'co']);

/** [start, end) of the first significant subdomain inside the host. */
function significantRange(h: string): [number, number] {
  const lastDot = h.lastIndexOf('.');
  if (lastDot < 0) return [0, h.length];
  const prevDot = h.lastIndexOf('.', lastDot - 1);
  const second = h.slice(prevDot + 1, lastDot);
  if (COMMON_SECOND_LEVEL.has(second) && prevDot >= 0) {
    const third = h.lastIndexOf('.', prevDot - 1);
    return [third + 1, prevDot];
  }
  return [prevDot + 1, lastDot];
}

function firstSignificantSubdomain(url: string): string {
  const h = stripWWW(host(url));
  if (!h.includes('.')) return h;
  const [s, e] = significantRange(h);
  return h.slice(s, e);
}

function cutToFirstSignificantSubdomain(url: string): string {
  const h = stripWWW(host(url));
  if (!h.includes('.')) return h;
  return h.slice(significantRange(h)[0]);
}

function topLevelDomain(url: string): string {
  const h = host(url);
  const d = h.lastIndexOf('.');
  if (d < 0) return '';
  const tld = h.slice(d + 1);
  return /^\d+$/.test(tld) ? '' : tld;
}

function cutRange(url: string, from: number, to: number): string {
  return url.slice(0, from) + url.slice(to);
}

function cutQueryString(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const h = url.indexOf('#');
  if (h >= 0 && h < q) return url;
  return cutRange(url, q, h < 0 ? url.length : h);
}

function cutFragment(url: string): string {
  const h = url.indexOf('#');
  return h < 0 ? url : url.slice(0, h);
}

function cutQueryStringAndFragment(url: string): string {
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

function cutWWW(url: string): string {
  const p = parseUrl(url);
  if (url.startsWith('www.', p.hostStart) && p.hostEnd > p.hostStart) return cutRange(url, p.hostStart, p.hostStart + 4);
  return url;
}

function cutURLParameter(url: string, names: readonly string[]): string {
  let out = url;
  for (const name of names) {
    const re = new RegExp(`([?&#])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(=[^&#]*)?(&|(?=#)|$)`);
    for (;;) {
      const m = re.exec(out);
      if (!m) break;
      const sep = m[1]!;
      const tail = m[3]!;
      // keep the separator before the parameter when another parameter follows; else drop '&'
      const replacement = tail === '&' ? sep : sep === '&' ? '' : sep === '?' && out[m.index + m[0].length] !== '#' ? '' : '';
      out = out.slice(0, m.index) + replacement + out.slice(m.index + m[0].length);
    }
  }
  return out;
}

function decodeURLComponent(s: string): string {
  return s.replace(/(%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

function encodeURLComponent(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function urlHierarchy(url: string, pathOnly: boolean): string[] {
  const s = pathStart(url);
  if (s < 0) return [];
  const base = pathOnly ? '' : url.slice(0, s);
  const out: string[] = [];
  if (!pathOnly) out.push(url.slice(0, s) + (url[s] === '/' ? '/' : ''));
  const rest = url.slice(s);
  const re = /[/?#]/g;
  let i = rest.startsWith('/') ? 1 : 0;
  while (i < rest.length) {
    re.lastIndex = i;
    const m = re.exec(rest);
    const e = m ? m.index + 1 : rest.length;
    out.push(base + rest.slice(0, e));
    if (m && m[0] !== '/') {
      if (e < rest.length) out.push(base + rest);
      break;
    }
    i = e;
  }
  return pathOnly ? out : [...new Set(out)];
}

function unary(name: string, description: string, f: (url: string) => string, example?: string): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(url)`,
    examples: example,
    minArgs: 1,
    bind(args) {
      requireString(name, args, 0);
      return { returnType: T.String, row: (v) => f(v[0] as string) };
    },
  });
}

const port = rowwise({
  name: 'port',
  category: CATEGORY,
  description: 'The port of the URL, or default_port (0) when it has none or it is not a number',
  syntax: 'port(url[, default_port])',
  minArgs: 1,
  maxArgs: 2,
  bind(args) {
    requireString('port', args, 0);
    return {
      returnType: T.UInt16,
      row(v) {
        const def = v.length > 1 ? Number(v[1]) & 0xffff : 0;
        const p = parseUrl(v[0] as string).port;
        if (!/^\d+$/.test(p)) return def;
        const n = Number(p);
        return n > 65535 ? def : n;
      },
    };
  },
});

const netloc = unary('netloc', 'The network locality of the URL: username:password@host:port', (u) => {
  const p = parseUrl(u);
  return p.hasAuthority || p.hostEnd > p.hostStart ? u.slice(p.netlocStart, p.authorityEnd) : '';
});

const extractURLParameter = rowwise({
  name: 'extractURLParameter',
  category: CATEGORY,
  description: "The value of the first parameter called name in the URL's query string or fragment ('' if absent); not decoded",
  syntax: 'extractURLParameter(url, name)',
  examples: "extractURLParameter('http://a.com/?x=1&y=2', 'y') = '2'",
  minArgs: 2,
  bind(args) {
    requireString('extractURLParameter', args, 0);
    requireString('extractURLParameter', args, 1);
    return { returnType: T.String, row: (v) => extractParameter(v[0] as string, v[1] as string) };
  },
});

const extractURLParameters = rowwise({
  name: 'extractURLParameters',
  category: CATEGORY,
  description: "The URL's parameters as an array of 'name=value' strings",
  syntax: 'extractURLParameters(url)',
  minArgs: 1,
  bind(args) {
    requireString('extractURLParameters', args, 0);
    return { returnType: arrayType(T.String), row: (v) => parameters(v[0] as string) };
  },
});

const extractURLParameterNames = rowwise({
  name: 'extractURLParameterNames',
  category: CATEGORY,
  description: "The names of the URL's parameters as an array",
  syntax: 'extractURLParameterNames(url)',
  minArgs: 1,
  bind(args) {
    requireString('extractURLParameterNames', args, 0);
    return { returnType: arrayType(T.String), row: (v) => parameters(v[0] as string).map(paramName) };
  },
});

const cutURLParameterFn = rowwise({
  name: 'cutURLParameter',
  category: CATEGORY,
  description: 'Removes the parameter(s) called name from the URL',
  syntax: 'cutURLParameter(url, name | [names])',
  minArgs: 2,
  bind(args) {
    requireString('cutURLParameter', args, 0);
    const t = args[1]!.type;
    if (!isStringLike(t) && !(t.kind === 'Array' && isStringLike(t.element))) throw illegalType('cutURLParameter', t, 1);
    return {
      returnType: T.String,
      row: (v) => cutURLParameter(v[0] as string, Array.isArray(v[1]) ? (v[1] as Value[]).map(String) : [v[1] as string]),
    };
  },
});

function hierarchy(name: string, pathOnly: boolean, description: string): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(url)`,
    minArgs: 1,
    bind(args) {
      requireString(name, args, 0);
      return { returnType: arrayType(T.String), row: (v) => urlHierarchy(v[0] as string, pathOnly) };
    },
  });
}

export const urlFunctions: ScalarFunction[] = [
  unary('protocol', "The URL's scheme (http, https, ftp, mailto …), '' if it has none", (u) => {
    const e = schemeEnd(u);
    return e < 0 ? '' : u.slice(0, e);
  }, "protocol('https://clickhouse.com/') = 'https'"),
  unary('domain', 'The host of the URL', host, "domain('svn+ssh://some.svn-hosting.com:80/repo/trunk') = 'some.svn-hosting.com'"),
  unary('domainWithoutWWW', "The host of the URL without a leading 'www.'", (u) => stripWWW(host(u))),
  unary('topLevelDomain', 'The top-level domain of the URL', topLevelDomain, "topLevelDomain('svn+ssh://www.some-domain.com:80/') = 'com'"),
  unary('firstSignificantSubdomain', "The first significant subdomain: the second-level domain, or the third-level one when the second is com, net, org or co", firstSignificantSubdomain, "firstSignificantSubdomain('https://news.clickhouse.com.tr/') = 'clickhouse'"),
  unary('cutToFirstSignificantSubdomain', 'The part of the domain from the first significant subdomain to the top-level domain', cutToFirstSignificantSubdomain),
  unary('path', 'The path of the URL without the query string and fragment', path),
  unary('pathFull', 'The path of the URL with the query string and fragment', pathFull),
  unary('queryString', "The query string without the leading '?' and the fragment", queryString),
  unary('fragment', "The fragment without the leading '#'", fragment),
  unary('queryStringAndFragment', 'The query string and fragment', queryStringAndFragment),
  unary('cutWWW', "Removes a leading 'www.' from the URL's domain", cutWWW),
  unary('cutQueryString', "Removes the query string, including the '?'", cutQueryString),
  unary('cutFragment', "Removes the fragment, including the '#'", cutFragment),
  unary('cutQueryStringAndFragment', 'Removes the query string and the fragment', cutQueryStringAndFragment),
  unary('decodeURLComponent', 'Decodes %XX escapes', decodeURLComponent),
  unary('encodeURLComponent', 'Percent-encodes the string as a URL component', encodeURLComponent),
  port,
  netloc,
  extractURLParameter,
  extractURLParameters,
  extractURLParameterNames,
  cutURLParameterFn,
  hierarchy('URLHierarchy', false, 'The URL truncated at each /, ? and # of its path, as an array'),
  hierarchy('URLPathHierarchy', true, 'Like URLHierarchy but paths only, without the protocol and host'),
];
