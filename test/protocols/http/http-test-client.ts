import http from 'node:http';
import { FakeEngine } from './fake-engine.js';
import { fakeFormats } from './fake-formats.js';
import { createHttpServer, type HttpServerOptions } from '../../../protocols/http/index.js';

export interface TestServer {
  readonly engine: FakeEngine;
  readonly port: number;
  close(): Promise<void>;
}

export async function startTestServer(
  engine = new FakeEngine(),
  options: Partial<HttpServerOptions> = {},
): Promise<TestServer> {
  const server = createHttpServer(engine, { host: '127.0.0.1', port: 0, formats: fakeFormats, ...options });
  const { port } = await server.listen();
  return { engine, port, close: () => server.close() };
}

export interface TestResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The response ended without a complete body (connection cut). */
  readonly aborted: boolean;
  text(): string;
}

export interface TestRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array | AsyncIterable<Uint8Array>;
  readonly agent?: http.Agent | false;
  /** Called with the request once the response headers arrived (for disconnect tests). */
  readonly onResponse?: (req: http.ClientRequest, res: http.IncomingMessage) => void;
}

export function request(port: number, r: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path ?? '/', headers: r.headers, agent: r.agent ?? false,
    }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      let settled = false;
      const done = (): void => {
        if (settled) return;
        settled = true;
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, aborted, text: () => body.toString('utf8') });
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('aborted', () => { aborted = true; });
      res.on('error', () => { aborted = true; done(); });
      res.on('end', () => {
        if (!res.complete) aborted = true;
        done();
      });
      res.on('close', () => {
        if (!res.complete) aborted = true;
        done();
      });
      r.onResponse?.(req, res);
    });
    req.on('error', reject);
    const body = r.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
    else {
      void (async () => {
        try {
          for await (const chunk of body) {
            if (!req.write(chunk)) await new Promise((res) => req.once('drain', res));
          }
          req.end();
        } catch (e) {
          req.destroy(e as Error);
        }
      })();
    }
  });
}

export function q(sql: string, extra = ''): string {
  return `/?query=${encodeURIComponent(sql)}${extra === '' ? '' : `&${extra}`}`;
}
