import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { DbError, type ErrorName } from '../errors/index.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { SANDBOX_WORKER_SOURCE, SUPERVISOR_WORKER_SOURCE } from './sandbox-workers.js';

/** What the sandbox needs to (re)compile a UDF: `key` changes whenever the definition does. */
export interface SandboxDefinition {
  readonly key: string;
  readonly name: string;
  readonly source: string;
  readonly aggregate: boolean;
}

/** A request for the bootstrap in the UDF's context (see sandbox-bootstrap.ts for the ops). */
export type SandboxRequest = { readonly op: string } & Record<string, unknown>;

export interface JsSandboxOptions {
  /** Heap limit of the sandbox worker (its old generation), in MiB. */
  readonly maxMemoryMb: number;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly code?: string;
  readonly message?: string;
}

/**
 * The engine's side of the JavaScript sandbox: a synchronous call into a supervisor worker (which owns the
 * worker running user code). The calling thread blocks in Atomics.wait until the answer (or the call's time
 * limit plus a margin, after which the supervisor itself is replaced). Errors come back as DbError with
 * Proton's codes: UDF_COMPILE_ERROR, UDF_INTERNAL_ERROR, AGGREGATE_FUNCTION_THROW, TYPE_MISMATCH,
 * TIMEOUT_EXCEEDED, UDF_MEMORY_THRESHOLD_EXCEEDED.
 */
export class JsSandbox {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private signal: Int32Array | undefined;
  private nextId = 1;
  private frees: { key: string; sid: number }[] = [];
  private forget: string[] = [];
  /** Group-state holders (JsAggregateStates): when one is collected, its states in the sandbox are freed with the next call. */
  private readonly states = new FinalizationRegistry<{ key: string; sid: number }>((f) => this.frees.push(f));

  constructor(private readonly options: JsSandboxOptions) {}

  private start(): void {
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    const worker = new Worker(SUPERVISOR_WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, flag, sandboxSource: SANDBOX_WORKER_SOURCE, maxOldMb: this.options.maxMemoryMb },
      transferList: [port2],
      stdout: true,
      stderr: true,
    });
    worker.unref();
    port1.unref();
    worker.on('error', () => this.drop(worker));
    worker.on('exit', () => this.drop(worker));
    this.worker = worker;
    this.port = port1;
    this.signal = new Int32Array(flag);
  }

  private drop(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
  }

  /** Stops the workers (engine shutdown). */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.drop(w);
    await w.terminate();
  }

  /** Registers a group-state holder: when it is garbage collected, its states in the sandbox are freed. */
  track(holder: object, key: string, sid: number): void {
    this.states.register(holder, { key, sid });
  }

  /** A definition that was dropped or replaced: its context can go. */
  forgetDefinition(key: string): void {
    this.forget.push(key);
  }

  /** Runs one op of one UDF and returns its value, or throws the UDF's error as a DbError. */
  call(def: SandboxDefinition, req: SandboxRequest, timeoutMs: number): unknown {
    if (!this.worker) this.start();
    const port = this.port!;
    const signal = this.signal!;
    const id = this.nextId++;
    const frees = this.frees.length ? this.frees.splice(0) : undefined;
    const forget = this.forget.length ? this.forget.splice(0) : undefined;
    Atomics.store(signal, 0, 0);
    try {
      port.postMessage({ id, timeoutMs, def, req, frees, forget });
    } catch (e) {
      throw new DbError('UDF_INTERNAL_ERROR', `Cannot pass the arguments of JavaScript UDF ${def.name} to the sandbox: ${(e as Error).message}`);
    }
    const waited = Atomics.wait(signal, 0, 0, timeoutMs + 5000);
    if (waited === 'timed-out') {
      const w = this.worker;
      if (w) {
        this.drop(w);
        void w.terminate();
      }
      throw new DbError('TIMEOUT_EXCEEDED', `JavaScript UDF ${def.name} did not finish within ${timeoutMs} ms (javascript_udf_timeout_ms); the sandbox was restarted`);
    }
    const reply = this.receive(port, id);
    if (reply.ok) return reply.value;
    const code = reply.code && reply.code in ErrorCodes ? (reply.code as ErrorName) : 'UDF_INTERNAL_ERROR';
    throw new DbError(code, reply.message ?? `JavaScript UDF ${def.name} failed`);
  }

  /**
   * Remote UDFs: a synchronous HTTP POST, made by the supervisor worker (the calling thread waits, as for a
   * JavaScript call). Returns the status and body; network failures are REMOTE_CALL_FAILED, a timeout TIMEOUT_EXCEEDED.
   */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): { status: number; text: string } {
    if (!this.worker) this.start();
    const port = this.port!;
    const signal = this.signal!;
    const id = this.nextId++;
    Atomics.store(signal, 0, 0);
    port.postMessage({ id, remote: { url, headers, body, timeoutMs } });
    if (Atomics.wait(signal, 0, 0, timeoutMs + 5000) === 'timed-out') {
      throw new DbError('TIMEOUT_EXCEEDED', `Call remote uri ${url} did not finish within ${timeoutMs} ms`);
    }
    const reply = this.receive(port, id);
    if (reply.ok) return reply.value as { status: number; text: string };
    throw new DbError(reply.code === 'TIMEOUT_EXCEEDED' ? 'TIMEOUT_EXCEEDED' : 'REMOTE_CALL_FAILED', reply.message ?? `Call remote uri ${url} failed`);
  }

  private receive(port: MessagePort, id: number): Reply {
    // The supervisor posts before it raises the flag, so the answer is already queued; stale answers (of a
    // call that timed out on this side) are skipped.
    for (let spins = 0; spins < 1000; spins++) {
      const m = receiveMessageOnPort(port);
      if (m === undefined) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      const reply = m.message as Reply;
      if (reply.id === id) return reply;
    }
    throw new DbError('UDF_INTERNAL_ERROR', 'The JavaScript sandbox did not answer');
  }
}
