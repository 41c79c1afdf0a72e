import type { ClientInfo, Credentials, Session, SessionFactory } from '../../src/server/session-api.js';
import { httpError } from './http-errors.js';

/**
 * Named HTTP sessions (`session_id`): a Session kept open between requests so SET settings, USE and
 * temporary tables persist. Keyed by user and id as in ClickHouse; one request at a time per session
 * (SESSION_IS_LOCKED otherwise); closed `session_timeout` seconds after its last request ended.
 */
export interface SessionRequest {
  readonly credentials: Credentials;
  readonly client: ClientInfo;
  readonly sessionId: string;
  /** `session_timeout` as sent; default 60 s. */
  readonly timeout?: string;
  /** `session_check=1`: the session must already exist. */
  readonly check: boolean;
  readonly database?: string;
}

export interface SessionLease {
  readonly session: Session;
  /** Ends this request's use of the session; `close` drops it (`close_session=1`). */
  release(close: boolean): void;
}

interface Entry {
  readonly key: string;
  readonly session: Session;
  password: string;
  timeoutMs: number;
  inUse: boolean;
  timer: NodeJS.Timeout | undefined;
}

export interface SessionRegistryOptions {
  readonly defaultTimeoutSec: number;
  readonly maxTimeoutSec: number;
}

export class HttpSessionRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly engine: SessionFactory,
    private readonly options: SessionRegistryOptions,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  acquire(req: SessionRequest): SessionLease {
    const timeoutMs = this.parseTimeout(req.timeout);
    const key = `${req.credentials.user}\u0000${req.sessionId}`;
    let entry = this.entries.get(key);
    if (entry !== undefined) {
      if (entry.password !== req.credentials.password) {
        // Authenticate the new password (throws AUTHENTICATION_FAILED) before handing out the session.
        this.engine.openSession(req.credentials, req.client).close();
        entry.password = req.credentials.password;
      }
      if (entry.inUse) {
        throw httpError('SESSION_IS_LOCKED', `Session ${req.sessionId} is locked by a concurrent client`);
      }
    } else {
      if (req.check) throw httpError('SESSION_NOT_FOUND', `Session ${req.sessionId} not found`);
      const session = this.engine.openSession(req.credentials, req.client, { database: req.database, sessionId: req.sessionId });
      entry = { key, session, password: req.credentials.password, timeoutMs, inUse: false, timer: undefined };
      this.entries.set(key, entry);
    }
    entry.inUse = true;
    entry.timeoutMs = timeoutMs;
    if (entry.timer !== undefined) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    const e = entry;
    let released = false;
    return {
      session: e.session,
      release: (close: boolean) => {
        if (released) return;
        released = true;
        e.inUse = false;
        if (close || e.timeoutMs === 0) this.drop(e);
        else this.arm(e);
      },
    };
  }

  /** Closes every session (server shutdown). */
  closeAll(): void {
    for (const e of [...this.entries.values()]) this.drop(e);
  }

  private arm(e: Entry): void {
    e.timer = setTimeout(() => {
      e.timer = undefined;
      if (!e.inUse) this.drop(e);
    }, e.timeoutMs);
    e.timer.unref();
  }

  private drop(e: Entry): void {
    if (e.timer !== undefined) clearTimeout(e.timer);
    e.timer = undefined;
    if (this.entries.get(e.key) === e) this.entries.delete(e.key);
    try {
      e.session.close();
    } catch {
      // A session that fails to close is gone either way.
    }
  }

  private parseTimeout(text: string | undefined): number {
    if (text === undefined || text === '') return this.options.defaultTimeoutSec * 1000;
    const sec = Number(text);
    if (!Number.isFinite(sec) || sec < 0) {
      throw httpError('INVALID_SESSION_TIMEOUT', `Invalid session timeout: '${text}'`);
    }
    if (sec > this.options.maxTimeoutSec) {
      throw httpError('INVALID_SESSION_TIMEOUT',
        `Session timeout '${text}' is larger than max_session_timeout: ${this.options.maxTimeoutSec}. Maximum session timeout could be modified in configuration file.`);
    }
    return Math.round(sec * 1000);
  }
}
