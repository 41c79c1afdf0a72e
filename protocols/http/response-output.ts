import type { ServerResponse } from 'node:http';
import type { Transform, Writable } from 'node:stream';
import { encodeCompressedBlock, type CompressionMethod } from '../../src/compression/index.js';
import type { DbError } from '../../src/errors/index.js';
import { httpStatusOfErrorCode } from './http-status.js';
import { createEncoderStream, encodeWhole, flushEncoder, type ResponseEncoding } from './response-encoding.js';

/**
 * The body of one query response, as ClickHouse's WriteBufferFromHTTPServerResponse does it: output is held
 * back (up to `buffer_size`, or whole with `wait_end_of_query=1`) so that an error before anything was sent
 * still becomes a proper status code; once sent, it streams with backpressure. Layers, innermost first:
 * `compress=1` framing (ClickHouse compressed blocks of ≤ 1 MiB), then HTTP Content-Encoding.
 * An error after the headers went out is appended as ClickHouse's `__exception__` block and the chunked body
 * is cut short (no final chunk), so clients cannot mistake a truncated result for a complete one.
 */
export interface ResponseOutputOptions {
  readonly res: ServerResponse;
  readonly bufferSize: number;
  readonly waitEndOfQuery: boolean;
  /** `compress=1`: frame the body in ClickHouse compressed blocks with this method. */
  readonly frames?: CompressionMethod;
  readonly encoding?: ResponseEncoding;
  readonly level: number;
  readonly exceptionTag: string;
  /** X-ClickHouse-Summary at the time headers are sent. */
  readonly summary: () => string;
}

/** ClickHouse frames compressed output in blocks of DBMS_DEFAULT_BUFFER_SIZE. */
const FRAME_SIZE = 1 << 20;
/** Once streaming, bytes gathered before a socket write (fewer, larger writes). */
const STREAM_FLUSH_BYTES = 64 << 10;
/** How long a cut-short response may linger before its socket is destroyed. */
const CUT_LINGER_MS = 5000;
const EXCEPTION_MARKER = '__exception__';
/** ClickHouse's cap on the exception block (WriteBufferFromHTTP1ServerResponse::MAX_EXCEPTION_SIZE). */
const MAX_EXCEPTION_SIZE = 16 * 1024;

export class ClientGoneError extends Error {
  constructor() {
    super('Client closed the connection');
  }
}

type State = 'buffering' | 'streaming' | 'done';

export class ResponseOutput {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly headers: Record<string, string | number> = {};
  private state: State = 'buffering';
  /** The status line went out early, ahead of X-ClickHouse-Progress headers. */
  private statusLineSent = false;
  private encoder: Transform | undefined;
  private gone = false;

  constructor(private readonly o: ResponseOutputOptions) {
    o.res.once('close', () => {
      if (!o.res.writableFinished) this.gone = true;
    });
  }

  /** True once the client went away before the response was complete. */
  get clientGone(): boolean {
    return this.gone;
  }

  get started(): boolean {
    return this.state !== 'buffering' || this.statusLineSent;
  }

  setHeader(name: string, value: string | number): void {
    this.headers[name] = value;
  }

  deleteHeader(name: string): void {
    delete this.headers[name];
  }

  /** The format writer's sink: takes ownership of the chunk. */
  write(chunk: Uint8Array): void {
    if (this.state === 'done' || chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  /**
   * Called after each block: sends what the policy says should go now. `flushNow` for streaming queries
   * (every block goes out as soon as it is formatted).
   */
  async blockDone(flushNow: boolean): Promise<void> {
    if (this.gone) throw new ClientGoneError();
    if (this.state === 'buffering') {
      if (!flushNow && (this.o.waitEndOfQuery || this.pendingBytes <= this.o.bufferSize)) return;
      this.beginStreaming();
    }
    if (flushNow || this.pendingBytes >= STREAM_FLUSH_BYTES) await this.flush(flushNow);
  }

  /** Sends the headers now (streaming queries answer before their first block). */
  beginStreaming(): void {
    if (this.state !== 'buffering') return;
    this.state = 'streaming';
    const { res } = this.o;
    if (this.o.encoding !== undefined) {
      this.headers['Content-Encoding'] = this.o.encoding;
      this.encoder = createEncoderStream(this.o.encoding, this.o.level);
      this.encoder.pipe(res, { end: false });
      this.encoder.on('error', () => res.destroy());
    }
    this.headers['X-ClickHouse-Summary'] = this.o.summary();
    this.writeHead(200);
    if (this.pendingBytes === 0) res.flushHeaders();
  }

  /** Writes one `X-ClickHouse-Progress` header while the headers are still open. */
  writeProgressHeader(json: string): void {
    const { res } = this.o;
    const socket = res.socket;
    if (this.state !== 'buffering' || res.headersSent || socket === null || this.gone) return;
    if (!this.statusLineSent) {
      socket.write('HTTP/1.1 200 OK\r\n');
      this.statusLineSent = true;
    }
    socket.write(`X-ClickHouse-Progress: ${json}\r\n`);
  }

  /** The query ended well: sends the rest and ends the response. */
  async finish(): Promise<void> {
    if (this.state === 'done') return;
    if (this.gone) throw new ClientGoneError();
    if (this.state === 'buffering') {
      const body = this.encodeWhole(this.takePending());
      if (body.length > 0 && this.o.encoding !== undefined) this.headers['Content-Encoding'] = this.o.encoding;
      this.headers['Content-Length'] = body.length;
      this.headers['X-ClickHouse-Summary'] = this.o.summary();
      this.state = 'done';
      this.writeHead(200);
      this.o.res.end(body);
      return;
    }
    await this.flush(true);
    await this.endEncoder();
    this.state = 'done';
    this.o.res.end();
  }

  /** The query failed: a proper error response if nothing was sent yet, else an exception block and a cut. */
  async fail(err: DbError): Promise<void> {
    if (this.state === 'done' || this.gone) return;
    const text = err.displayText();
    const { res } = this.o;
    if (this.state === 'buffering' && !this.statusLineSent) {
      this.takePending();
      const body = this.encodeWhole(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
      if (this.o.encoding !== undefined) this.headers['Content-Encoding'] = this.o.encoding;
      else delete this.headers['Content-Encoding'];
      this.headers['Content-Type'] = 'text/plain; charset=UTF-8';
      this.headers['Content-Length'] = body.length;
      this.headers['X-ClickHouse-Exception-Code'] = String(err.code);
      this.headers['X-ClickHouse-Summary'] = this.o.summary();
      delete this.headers['X-ClickHouse-Format'];
      if (err.code === 194) this.headers['WWW-Authenticate'] = 'Basic realm="ClickHouse server HTTP API"';
      this.state = 'done';
      this.writeHead(httpStatusOfErrorCode(err.code));
      res.end(body);
      return;
    }
    try {
      if (this.state === 'buffering') {
        // Only progress headers went out: the status stays 200, the code goes in a header.
        this.headers['X-ClickHouse-Exception-Code'] = String(err.code);
        this.beginStreaming();
      }
      await this.flush(false);
      this.write(Buffer.from(this.exceptionBlock(text)));
      await this.flush(true);
      await this.endEncoder();
    } catch {
      // The client is gone or the socket broke: nothing more to tell it.
    }
    this.state = 'done';
    this.cut();
  }

  /** ClickHouse ≥ 25.11's in-band exception: marker, tag, message, its length, tag, marker. */
  private exceptionBlock(message: string): string {
    const tag = this.o.exceptionTag;
    const overhead = 2 + EXCEPTION_MARKER.length + 2 + tag.length + 2 + 8 + 1 + tag.length + 2 + EXCEPTION_MARKER.length + 2;
    let msg = message;
    if (Buffer.byteLength(msg) > MAX_EXCEPTION_SIZE - overhead) msg = Buffer.from(msg).subarray(0, MAX_EXCEPTION_SIZE - overhead).toString();
    if (!msg.endsWith('\n')) msg += '\n';
    return `\r\n${EXCEPTION_MARKER}\r\n${tag}\r\n${msg}${Buffer.byteLength(msg)} ${tag}\r\n${EXCEPTION_MARKER}\r\n`;
  }

  /** Ends the connection without the final empty chunk: the client sees a broken (incomplete) response. */
  private cut(): void {
    const { res } = this.o;
    const socket = res.socket;
    if (socket === null) {
      res.destroy();
      return;
    }
    socket.end();
    setTimeout(() => socket.destroy(), CUT_LINGER_MS).unref();
  }

  private writeHead(status: number): void {
    const { res } = this.o;
    res.writeHead(status, this.headers);
    if (this.statusLineSent) {
      // The status line already went out ahead of the progress headers: send only the header fields now.
      const r = res as unknown as { _header: string | null };
      const header = r._header;
      if (typeof header === 'string') r._header = header.slice(header.indexOf('\r\n') + 2);
    }
  }

  private takePending(): Uint8Array {
    const parts = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (parts.length === 1) return parts[0];
    return Buffer.concat(parts, total);
  }

  private frame(data: Uint8Array): Uint8Array[] {
    const method = this.o.frames;
    if (method === undefined || data.length === 0) return [data];
    const out: Uint8Array[] = [];
    for (let p = 0; p < data.length; p += FRAME_SIZE) {
      out.push(encodeCompressedBlock(data.subarray(p, Math.min(data.length, p + FRAME_SIZE)), method));
    }
    return out;
  }

  private encodeWhole(data: Uint8Array): Uint8Array {
    if (data.length === 0) return data;
    const frames = this.frame(data);
    const framed = frames.length === 1 ? frames[0] : Buffer.concat(frames);
    return this.o.encoding === undefined ? framed : encodeWhole(this.o.encoding, framed, this.o.level);
  }

  private async flush(flushEncoderToo: boolean): Promise<void> {
    if (this.pendingBytes > 0) {
      const target: Writable = this.encoder ?? this.o.res;
      for (const piece of this.frame(this.takePending())) {
        if (this.gone) throw new ClientGoneError();
        if (!target.write(piece)) await this.drain(target);
      }
    }
    if (flushEncoderToo && this.encoder !== undefined) flushEncoder(this.encoder);
  }

  private drain(target: Writable): Promise<void> {
    return new Promise((resolve, reject) => {
      const { res } = this.o;
      const onDrain = (): void => {
        res.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        target.off('drain', onDrain);
        reject(new ClientGoneError());
      };
      target.once('drain', onDrain);
      res.once('close', onClose);
    });
  }

  /** Ends the encoder and waits until everything it produced was handed to the response. */
  private endEncoder(): Promise<void> {
    const encoder = this.encoder;
    if (encoder === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const { res } = this.o;
      const onEnd = (): void => {
        res.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        encoder.off('end', onEnd);
        reject(new ClientGoneError());
      };
      encoder.once('end', onEnd);
      res.once('close', onClose);
      encoder.end();
    });
  }
}
