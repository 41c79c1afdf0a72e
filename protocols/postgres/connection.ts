import { randomUUID, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { DbError, toDbError } from '../../src/errors/index.js';
import type { Engine, UserConfig } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import { MessageFramer, ProtocolViolation } from './codec.js';
import { backend, errorResponse, parseFrontend, parseStartup, type FrontendMessage } from './messages.js';
import { ScramExchange, checkMd5, passwordText, type PasswordMethod } from './auth.js';
import { errorFieldsOf } from './sqlstate.js';
import { PgParameters, REPORTED } from './pg-parameters.js';
import { databaseOf } from './dialect-rewrite.js';
import { QueryExecutor } from './query-executor.js';
import { whenWritable } from '../socket-drain.js';

export interface ConnectionOptions {
  readonly engine: Engine;
  readonly logger: Logger;
  readonly passwordMethod: PasswordMethod;
  readonly cancelKeys: Map<number, PgConnection>;
  readonly nextPid: () => number;
}

const STARTUP_TIMEOUT_MS = 60_000;

type Inbound = { kind: 'startup'; body: Buffer } | FrontendMessage;

/**
 * One client connection: startup and authentication, then the message loop. Messages are read into an inbox
 * and handled one at a time (COPY FROM STDIN pulls its CopyData from the same inbox), replies are buffered
 * and flushed at ReadyForQuery, Flush, or when the buffer grows, waiting for the socket to drain.
 */
export class PgConnection {
  private readonly framer = new MessageFramer();
  private readonly inbox: Inbound[] = [];
  private wake?: () => void;
  private phase: 'startup' | 'messages' = 'startup';
  private closed = false;
  private out: Buffer[] = [];
  private outSize = 0;
  private pid = 0;
  private secret = 0;
  private session?: Session;
  private executor?: QueryExecutor;
  /** Aborted when the socket closes: every running query stops. */
  readonly closing = new AbortController();

  constructor(
    private readonly socket: Socket,
    private readonly opts: ConnectionOptions,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.framer.push(chunk);
      this.pump();
    });
    socket.on('close', () => this.onClose());
    socket.on('error', () => this.onClose());
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort(new DbError('QUERY_WAS_CANCELLED', 'Client closed the connection'));
    this.wake?.();
  }

  private pump(): void {
    try {
      if (this.phase === 'startup') {
        if (this.inbox.length) return;
        const body = this.framer.nextStartup();
        if (body) this.inbox.push({ kind: 'startup', body });
      } else {
        for (let m = this.framer.next(); m; m = this.framer.next()) this.inbox.push(parseFrontend(m.type, m.body));
        // A client racing ahead (COPY data, pipelined queries) is paused until the backlog is handled.
        if (this.inbox.length > 1024) this.socket.pause();
      }
    } catch (e) {
      this.fatal(e);
      return;
    }
    if (this.inbox.length) this.wake?.();
  }

  /** The next message, or undefined once the client is gone. */
  async next(): Promise<Inbound | undefined> {
    for (;;) {
      const m = this.inbox.shift();
      if (this.inbox.length < 256 && this.socket.isPaused()) this.socket.resume();
      if (m) return m;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  send(b: Buffer): Promise<void> | undefined {
    this.out.push(b);
    this.outSize += b.length;
    return this.outSize >= 65536 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (!this.out.length || this.closed) {
      this.out = [];
      this.outSize = 0;
      return;
    }
    const data = this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out, this.outSize);
    this.out = [];
    this.outSize = 0;
    if (this.socket.write(data)) return;
    await whenWritable(this.socket);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A protocol violation (garbage, truncated or oversized messages): FATAL error, then close. */
  private fatal(e: unknown): void {
    if (this.closed) return;
    const message = e instanceof Error ? e.message : String(e);
    this.opts.logger.debug({ err: message }, 'postgres protocol violation');
    this.socket.end(errorResponse({ severity: 'FATAL', code: '08P01', message }));
    this.closed = true;
    this.closing.abort(new DbError('QUERY_WAS_CANCELLED', 'Protocol violation'));
    this.wake?.();
  }

  async run(): Promise<void> {
    // Like Postgres' authentication_timeout: a client that never finishes the startup is dropped.
    const startupTimer = setTimeout(() => this.fatal(new ProtocolViolation('canceling authentication due to timeout')), STARTUP_TIMEOUT_MS);
    try {
      const ok = await this.startup();
      clearTimeout(startupTimer);
      if (!ok) return;
      const executor = this.executor!;
      for (;;) {
        const m = await this.next();
        if (!m || m.kind === 'Terminate') break;
        if (m.kind === 'startup') throw new ProtocolViolation('unexpected startup packet');
        await executor.handle(m);
      }
    } catch (e) {
      if (e instanceof ProtocolViolation) this.fatal(e);
      else {
        this.opts.logger.error({ err: e }, 'postgres connection failed');
        if (!this.closed) this.socket.end(errorResponse({ severity: 'FATAL', code: 'XX000', message: e instanceof Error ? e.message : String(e) }));
      }
    } finally {
      clearTimeout(startupTimer);
      this.executor?.closeAll();
      this.session?.close();
      if (this.opts.cancelKeys.get(this.pid) === this) this.opts.cancelKeys.delete(this.pid);
      if (!this.closed) this.socket.end();
      this.closed = true;
    }
  }

  /** CancelRequest from another connection with this connection's key. */
  cancel(secret: number): void {
    if (secret === this.secret) this.executor?.cancelRunning();
  }

  /** This connection's backend process id (pg_backend_pid()). */
  get backendPid(): number {
    return this.pid;
  }

  /** pg_cancel_backend(pid) from any connection of the same server: true when that backend exists. */
  cancelBackend(pid: number): boolean {
    const target = this.opts.cancelKeys.get(pid);
    target?.executor?.cancelRunning();
    return !!target;
  }

  private async startup(): Promise<boolean> {
    for (;;) {
      const m = await this.next();
      if (!m) return false;
      if (m.kind !== 'startup') throw new ProtocolViolation('expected a startup packet');
      const packet = parseStartup(m.body);
      if (packet.kind === 'SSLRequest' || packet.kind === 'GSSENCRequest') {
        this.socket.write('N');
        this.pump();
        continue;
      }
      if (packet.kind === 'Cancel') {
        this.opts.cancelKeys.get(packet.pid)?.cancel(packet.secret);
        this.socket.end();
        this.closed = true;
        return false;
      }
      this.phase = 'messages';
      this.pump();
      return this.authenticate(packet.params);
    }
  }

  private userConfig(name: string): UserConfig | undefined {
    const users = this.opts.engine.config.users?.length ? this.opts.engine.config.users : [{ name: 'default' }];
    return users.find((u) => u.name === name);
  }

  private async authFailed(user: string): Promise<false> {
    this.send(errorResponse({ severity: 'FATAL', code: '28P01', message: `password authentication failed for user "${user}"`, detail: 'Code: 516. AUTHENTICATION_FAILED' }));
    await this.flush();
    this.socket.end();
    this.closed = true;
    return false;
  }

  private async password(): Promise<Buffer | undefined> {
    await this.flush();
    const m = await this.next();
    if (!m) return undefined;
    if (m.kind !== 'Password') throw new ProtocolViolation(`expected password response, got message type ${m.kind}`);
    return m.data;
  }

  private async authenticate(params: Map<string, string>): Promise<boolean> {
    const user = params.get('user') || 'default';
    const cfg = this.userConfig(user);
    const hasPassword = !cfg || cfg.password !== undefined || cfg.passwordSha256Hex !== undefined;
    let password = '';
    if (hasPassword) {
      const method: PasswordMethod = cfg?.password !== undefined ? this.opts.passwordMethod : 'cleartext';
      if (method === 'scram') {
        const scram = new ScramExchange(cfg!.password!);
        this.send(backend.authSasl(['SCRAM-SHA-256']));
        const first = await this.password();
        if (!first) return false;
        this.send(backend.authSaslContinue(scram.start(first)));
        const final = await this.password();
        if (!final) return false;
        const serverFinal = scram.finish(final);
        if (!serverFinal) return this.authFailed(user);
        this.send(backend.authSaslFinal(serverFinal));
        password = cfg!.password!;
      } else if (method === 'md5') {
        const salt = randomBytes(4);
        this.send(backend.authMd5(salt));
        const data = await this.password();
        if (!data) return false;
        if (!checkMd5(user, cfg!.password!, salt, passwordText(data))) return this.authFailed(user);
        password = cfg!.password!;
      } else {
        this.send(backend.authCleartext());
        const data = await this.password();
        if (!data) return false;
        password = passwordText(data);
      }
    }
    const requested = params.get('database');
    const dbName = requested ? databaseOf(requested) : undefined;
    const database = dbName && this.opts.engine.catalog.databases.has(dbName) ? dbName : undefined;
    try {
      this.session = this.opts.engine.openSession(
        { user, password },
        { interface: 'postgres', address: this.socket.remoteAddress, clientName: params.get('application_name') },
        { database },
      );
    } catch (e) {
      const err = toDbError(e);
      if (err.errorName === 'AUTHENTICATION_FAILED') return this.authFailed(user);
      this.send(errorResponse(errorFieldsOf(err, 'FATAL')));
      await this.flush();
      this.socket.end();
      this.closed = true;
      return false;
    }
    const pgParams = new PgParameters(this.opts.engine.timezone, user, params);
    this.send(backend.authOk());
    for (const name of REPORTED) this.send(backend.parameterStatus(name, pgParams.get(name) ?? ''));
    this.pid = this.opts.nextPid();
    this.secret = randomBytes(4).readInt32BE(0);
    this.opts.cancelKeys.set(this.pid, this);
    this.send(backend.backendKeyData(this.pid, this.secret));
    this.executor = new QueryExecutor(this, this.session, this.opts.engine, pgParams);
    this.send(backend.readyForQuery('I'));
    await this.flush();
    return true;
  }

  /** A query id for the next statement (kept for CancelRequest). */
  static newQueryId(): string {
    return randomUUID();
  }
}
