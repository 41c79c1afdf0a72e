import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { Block, concatBlocks } from '../../src/core/block.js';
import { initZstd, type CompressionMethod } from '../../src/compression/index.js';
import { DbError, toDbError } from '../../src/errors/index.js';
import type { InsertInput, InsertTarget, QueryResult, Session, SessionFactory } from '../../src/server/session-api.js';
import { readBlock } from './block-input.js';
import { readClientHello, readQueryPacket, readTablesStatusRequest, type QueryPacket } from './client-packets.js';
import { PacketOutput } from './packet-output.js';
import { ClientPacket, Rev, SERVER_REVISION, ServerPacket } from './protocol.js';
import {
  headerBlock, writeBlockPacket, writeEndOfStream, writeException, writeHello, writeProfileInfo, writeProgress, writePong,
  writeTableColumns, writeTablesStatusResponse, type BlockPacketOptions, type ProgressDelta,
} from './server-packets.js';
import { ConnectionClosed, SocketInput } from './socket-input.js';
import { countersOf, finishedLine, logBlock, logThreshold, profileEventsBlock, type LogLine } from './query-telemetry.js';

export interface NativeConnectionOptions {
  readonly logger: Logger;
  /** Largest packet or block, in bytes, accepted from a client. */
  readonly maxPacketBytes: number;
  /** What the server calls itself in Hello (`Hadron`). */
  readonly serverName: string;
}

/** Where the client is in sending INSERT data. */
interface InsertState {
  /** The header went out: the client sends blocks. */
  started: boolean;
  /** The client's empty end block arrived. */
  ended: boolean;
  /** A packet could not be read: the connection is out of step. */
  broken: boolean;
}

/** Why a query stopped early: the client's Cancel packet or the connection going away. */
class QueryCancelled extends Error {}

/**
 * One native-protocol connection: handshake, then a loop of packets. A query runs to completion (or
 * cancellation) before the next packet is read; while it runs, only Cancel (and, for INSERT, Data) is
 * expected from the client.
 */
export class NativeConnection {
  private readonly input: SocketInput;
  private readonly out: PacketOutput;
  private revision = 0;
  private session: Session | undefined;
  /** Aborts the running query (Cancel packet, connection closed). */
  private running: AbortController | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly engine: SessionFactory,
    private readonly options: NativeConnectionOptions,
  ) {
    this.input = new SocketInput(socket, options.maxPacketBytes);
    this.out = new PacketOutput(socket);
    socket.on('close', () => this.running?.abort(new QueryCancelled('connection closed')));
  }

  async run(): Promise<void> {
    try {
      if (!(await this.handshake())) return;
      for (;;) {
        const code = await this.input.parse((r) => r.varuint());
        switch (code) {
          case ClientPacket.Ping:
            writePong(this.out.w);
            await this.out.flush();
            break;
          case ClientPacket.Query:
            await this.query();
            break;
          case ClientPacket.Cancel:
            break; // the query it meant has already finished
          case ClientPacket.KeepAlive:
            break;
          case ClientPacket.TablesStatusRequest: {
            const tables = await this.input.parse((r) => readTablesStatusRequest(r));
            writeTablesStatusResponse(this.out.w, tables);
            await this.out.flush();
            break;
          }
          case ClientPacket.Data:
            throw new DbError('UNEXPECTED_PACKET_FROM_CLIENT', 'Unexpected packet Data received from client');
          case ClientPacket.Hello:
            throw new DbError('UNEXPECTED_PACKET_FROM_CLIENT', 'Unexpected packet Hello received from client');
          default:
            throw new DbError('UNKNOWN_PACKET_FROM_CLIENT', `Unknown packet ${code} from client`);
        }
      }
    } catch (e) {
      if (!(e instanceof ConnectionClosed) && !this.input.isClosed) {
        // The byte stream can no longer be trusted: report, then close.
        const err = toDbError(e);
        this.options.logger.debug({ err: err.message, code: err.code }, 'native connection error');
        writeException(this.out.w, err);
        await this.out.flush();
      }
    } finally {
      this.running?.abort(new QueryCancelled('connection closed'));
      this.session?.close();
      this.socket.end();
    }
  }

  /** Hello in, Hello (or Exception 516) out, addendum in. False when the client was refused. */
  private async handshake(): Promise<boolean> {
    const code = await this.input.parse((r) => r.varuint());
    if (code !== ClientPacket.Hello) {
      throw new DbError('UNEXPECTED_PACKET_FROM_CLIENT', `Unexpected packet from client (expected Hello, got ${code})`);
    }
    const hello = await this.input.parse((r) => readClientHello(r));
    this.revision = Math.min(hello.revision, SERVER_REVISION);
    try {
      this.session = this.engine.openSession(
        { user: hello.user, password: hello.password },
        { interface: 'tcp', address: this.socket.remoteAddress, clientName: hello.clientName },
        { database: hello.database || undefined },
      );
    } catch (e) {
      writeException(this.out.w, toDbError(e));
      await this.out.flush();
      return false;
    }
    const info = this.engine.serverInfo;
    writeHello(
      this.out.w,
      {
        name: this.options.serverName,
        versionMajor: info.versionMajor,
        versionMinor: info.versionMinor,
        versionPatch: info.versionPatch,
        // The negotiated revision, not ours: old clients (18.x) gate what they read on the server's revision,
        // while we gate what we write on the client's; advertising the minimum makes both agree.
        revision: this.revision,
        timezone: info.timezone,
        displayName: info.displayName,
      },
      this.revision,
    );
    await this.out.flush();
    if (this.revision >= Rev.Addendum) await this.input.parse((r) => r.string()); // quota key
    return true;
  }

  private blockOptions(q: QueryPacket): BlockPacketOptions {
    if (!q.compression) return { revision: this.revision, compression: undefined };
    const method = (q.settings.get('network_compression_method') ?? '').toLowerCase();
    const zstdLevel = Number(q.settings.get('network_zstd_compression_level') ?? 1);
    return { revision: this.revision, compression: method === 'zstd' ? 'zstd' : 'lz4', zstdLevel: Number.isFinite(zstdLevel) ? zstdLevel : 1 };
  }

  /** The rest of a client Data (or Scalar) packet: table name, then the block. */
  private async readClientBlock(compressed: boolean): Promise<{ name: string; block: Block }> {
    const name = await this.input.parse((r) => r.string());
    const block = await readBlock(this.input, compressed, { revision: this.revision, maxBlockBytes: this.options.maxPacketBytes });
    return { name, block };
  }

  private async query(): Promise<void> {
    const q = await this.input.parse((r) => readQueryPacket(r, this.revision));
    const blockOptions = this.blockOptions(q);
    if (q.compression) await initZstd();
    const session = this.session!;
    // External tables: Data packets up to an empty block, before the query runs.
    const external = await this.readExternalTables(q.compression);
    const abort = new AbortController();
    this.running = abort;
    const insert: InsertState = { started: false, ended: false, broken: false };
    const progress = new ProgressSender(this.out, this.revision);
    const logLevel = this.revision >= Rev.ServerLogs ? logThreshold(q.settings.get('send_logs_level') ?? session.settings().get('send_logs_level')) : 0;
    // Log lines are only built when the client asked for them.
    const logs: LogLine[] = logLevel > 0 ? [{ level: 'debug', source: 'executeQuery', text: `(from ${this.socket.remoteAddress}:${this.socket.remotePort}) ${q.sql}` }] : [];
    let result: QueryResult | undefined;
    let stopWatch: (() => void) | undefined;
    try {
      result = await session.execute({
        sql: q.sql,
        queryId: q.queryId || undefined,
        params: q.params,
        settings: q.settings,
        signal: abort.signal,
        ignoreInlineData: this.revision < Rev.EmbeddedData,
        externalTables: [...external].map(([name, blocks]) => ({ name, header: blocks[0]!.header, blocks })),
        input: (target) => this.insertInput(target, q, blockOptions, insert, abort),
      });
      // Clients before 54420 accept no Progress after an INSERT or DDL (only Exception, Log, EndOfStream).
      const withProgress = result.hasResultSet || this.revision >= Rev.ClientWriteInfo;
      if (withProgress) progress.start(result, readIntervalMs(q.settings));
      stopWatch = this.watchForCancel(abort);
      const rows = result.hasResultSet ? await this.sendResult(result, blockOptions, progress) : await drainRows(result);
      stopWatch();
      progress.stop();
      if (withProgress) progress.send();
      if (logLevel > 0) logs.push(finishedLine(result.progress, rows));
      this.writeTelemetry(result, logs, logLevel);
      if (result.hasResultSet) this.writeEndOfData(blockOptions);
      writeEndOfStream(this.out.w);
      await this.out.flush();
    } catch (e) {
      stopWatch?.();
      progress.stop();
      if (insert.broken) throw e;
      // Clients that wait for ProfileEvents after each block (54456) have nothing in flight when an INSERT
      // fails; older ones send all their blocks first, which must be read past.
      if (insert.started && !insert.ended && this.revision < Rev.ProfileEventsInInsert) await this.skipInsertData(q.compression);
      if (abort.signal.aborted) {
        // Cancelled by the client: it waits for the end of the data and of the stream, not for an error.
        if (this.input.isClosed) return;
        if (result?.hasResultSet) this.writeEndOfData(blockOptions);
        writeEndOfStream(this.out.w);
      } else {
        const err = toDbError(e);
        if (logLevel > 0) logs.push({ level: 'error', source: 'executeQuery', text: `Code: ${err.code}. DB::Exception: ${err.message}. (${err.errorName})` });
        this.writeTelemetry(result, logs, logLevel);
        writeException(this.out.w, err);
      }
      await this.out.flush();
    } finally {
      this.running = undefined;
    }
  }

  /** Server log lines (when send_logs_level asks for them) and ProfileEvents (from revision 54451), uncompressed. */
  private writeTelemetry(result: QueryResult | undefined, logs: readonly LogLine[], logLevel: number): void {
    const options: BlockPacketOptions = { revision: this.revision, compression: undefined };
    const queryId = result?.queryId ?? '';
    const log = logLevel > 0 ? logBlock(queryId, logs, logLevel) : undefined;
    if (log !== undefined) writeBlockPacket(this.out.w, ServerPacket.Log, log, options);
    if (result !== undefined && this.revision >= Rev.ProfileEvents) {
      writeBlockPacket(this.out.w, ServerPacket.ProfileEvents, profileEventsBlock(countersOf(result.progress)), options);
    }
  }

  /** External tables: named blocks the client sends before the query; an empty block ends them. */
  private async readExternalTables(compressed: boolean): Promise<Map<string, Block[]>> {
    const tables = new Map<string, Block[]>();
    for (;;) {
      const code = await this.input.parse((r) => r.varuint());
      if (code !== ClientPacket.Data && code !== ClientPacket.Scalar) {
        throw new DbError('UNEXPECTED_PACKET_FROM_CLIENT', `Unexpected packet ${code} from client (expected Data after Query)`);
      }
      const { name, block } = await this.readClientBlock(compressed);
      // Scalars only matter to queries that name them through __getScalar, which Hadron does not plan.
      if (code === ClientPacket.Scalar) continue;
      if (block.header.length === 0) return tables;
      const list = tables.get(name) ?? [];
      list.push(block);
      tables.set(name, list);
    }
  }

  /**
   * While a query runs the client may send Cancel. Bytes that arrive are peeked at, never taken, unless
   * they are a Cancel: anything else is left for the packet loop.
   */
  private watchForCancel(abort: AbortController): () => void {
    const check = () => {
      if (this.input.peek() === ClientPacket.Cancel) {
        this.input.consume(1);
        abort.abort(new QueryCancelled('cancelled by the client'));
      }
    };
    this.input.onIdleData = check;
    check();
    return () => {
      this.input.onIdleData = undefined;
    };
  }

  private async insertInput(
    target: InsertTarget,
    q: QueryPacket,
    blockOptions: BlockPacketOptions,
    state: InsertState,
    abort: AbortController,
  ): Promise<InsertInput> {
    if (target.hasInlineData) return { kind: 'blocks', blocks: noBlocks() };
    if (this.revision >= Rev.ColumnDefaultsMetadata) writeTableColumns(this.out.w, target.header);
    writeBlockPacket(this.out.w, ServerPacket.Data, headerBlock(target.header), blockOptions);
    await this.out.flush();
    state.started = true;
    const self = this;
    const received = { selectedRows: 0, selectedBytes: 0, insertedRows: 0, insertedBytes: 0, startNs: process.hrtime.bigint() };
    // From 54456 clients wait for ProfileEvents after each block they send, the final empty one included.
    const acknowledge = async () => {
      if (self.revision < Rev.ProfileEventsInInsert) return;
      writeBlockPacket(self.out.w, ServerPacket.ProfileEvents, profileEventsBlock(received), { revision: self.revision, compression: undefined });
      await self.out.flush();
    };
    async function* blocks(): AsyncGenerator<Block> {
      for (;;) {
        const code = await self.input.parse((r) => r.varuint());
        if (code === ClientPacket.Data) {
          let block: Block;
          try {
            block = (await self.readClientBlock(q.compression)).block;
          } catch (e) {
            // A block we cannot read leaves the byte stream out of step: the connection must close.
            state.broken = true;
            throw e;
          }
          if (block.header.length === 0) {
            state.ended = true;
            await acknowledge();
            return;
          }
          received.insertedRows += block.rows;
          received.insertedBytes += block.byteSize;
          if (block.rows > 0) yield block;
          await acknowledge();
        } else if (code === ClientPacket.Cancel) {
          state.ended = true;
          abort.abort(new QueryCancelled('cancelled by the client'));
          throw new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled');
        } else if (code === ClientPacket.Ping) {
          writePong(self.out.w);
          await self.out.flush();
        } else {
          state.broken = true;
          throw new DbError('UNEXPECTED_PACKET_FROM_CLIENT', `Unexpected packet ${code} from client during INSERT`);
        }
      }
    }
    return { kind: 'blocks', blocks: blocks() };
  }

  /** After a failed INSERT, reads (and drops) the rest of the client's blocks so the stream stays in sync. */
  private async skipInsertData(compressed: boolean): Promise<void> {
    for (;;) {
      const code = await this.input.parse((r) => r.varuint());
      if (code === ClientPacket.Cancel) return;
      if (code !== ClientPacket.Data) throw new DbError('UNEXPECTED_PACKET_FROM_CLIENT', `Unexpected packet ${code} from client during INSERT`);
      const { block } = await this.readClientBlock(compressed);
      if (block.header.length === 0) return;
    }
  }

  /** Header, Data blocks as they come, Totals, Extremes, ProfileInfo. Returns the number of rows sent. */
  private async sendResult(result: QueryResult, options: BlockPacketOptions, progress: ProgressSender): Promise<number> {
    writeBlockPacket(this.out.w, ServerPacket.Data, headerBlock(result.header), options);
    await this.out.flush();
    let rows = 0;
    let blocks = 0;
    let bytes = 0;
    for await (const block of result.blocks) {
      if (block.rows === 0) continue;
      progress.maybeSend();
      writeBlockPacket(this.out.w, ServerPacket.Data, block, options);
      await this.out.flush();
      rows += block.rows;
      blocks++;
      bytes += block.byteSize;
    }
    const totals = result.totals();
    if (totals !== undefined) {
      writeBlockPacket(this.out.w, ServerPacket.Totals, totals, options);
    }
    const extremes = result.extremes();
    if (extremes !== undefined) {
      writeBlockPacket(this.out.w, ServerPacket.Extremes, concatBlocks(result.header, [extremes.min, extremes.max]), options);
    }
    const beforeLimit = result.rowsBeforeLimit();
    writeProfileInfo(this.out.w, {
      rows,
      blocks,
      bytes,
      appliedLimit: beforeLimit !== undefined,
      rowsBeforeLimit: beforeLimit ?? 0,
      // Always "calculated": an old client asked to calculate it itself walks streams it does not have and aborts.
      calculatedRowsBeforeLimit: true,
    });
    return rows;
  }

  /** An empty block (no columns) ends a result; clients finish their output format on it. */
  private writeEndOfData(options: BlockPacketOptions): void {
    writeBlockPacket(this.out.w, ServerPacket.Data, Block.empty([]), options);
  }
}

async function* noBlocks(): AsyncGenerator<Block> {}

/** Runs a statement without a result set to its end. */
async function drainRows(result: QueryResult): Promise<number> {
  for await (const _ of result.blocks) void _;
  return 0;
}

function readIntervalMs(settings: ReadonlyMap<string, string>): number {
  // interactive_delay is in microseconds (default 100 ms).
  const us = Number(settings.get('interactive_delay') ?? 100_000);
  return Number.isFinite(us) && us > 0 ? Math.max(10, us / 1000) : 100;
}

/**
 * Progress packets carry increments since the previous one. They go out from a timer (a slow query that
 * produces no block still moves the client's progress bar) and before each Data block.
 */
class ProgressSender {
  private result: QueryResult | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly sent: ProgressDelta = { readRows: 0, readBytes: 0, totalRows: 0, writtenRows: 0, writtenBytes: 0, elapsedNs: 0 };
  private lastSentAt = 0;
  private intervalMs = 100;
  /**
   * Streaming queries get a Progress packet every interval even when nothing changed, as ClickHouse's
   * TCPHandler does while it waits for a block: clients with a receive timeout (clickhouse-driver's
   * send_receive_timeout) then keep waiting through a quiet stream.
   */
  private always = false;

  constructor(
    private readonly out: PacketOutput,
    private readonly revision: number,
  ) {}

  start(result: QueryResult, intervalMs: number): void {
    this.result = result;
    this.intervalMs = intervalMs;
    this.always = result.isStreaming;
    this.lastSentAt = Date.now();
    this.timer = setInterval(() => {
      if (this.send()) this.out.flushNow();
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  maybeSend(): void {
    if (Date.now() - this.lastSentAt >= this.intervalMs) this.send();
  }

  /** Encodes a Progress packet if anything changed; true when one was written. */
  send(): boolean {
    const r = this.result;
    if (r === undefined) return false;
    const p = r.progress;
    const elapsedNs = Number(process.hrtime.bigint() - p.startNs);
    const delta: ProgressDelta = {
      readRows: Math.max(0, p.readRows - this.sent.readRows),
      readBytes: Math.max(0, p.readBytes - this.sent.readBytes),
      totalRows: Math.max(0, p.totalRowsToRead - this.sent.totalRows),
      writtenRows: Math.max(0, p.writtenRows - this.sent.writtenRows),
      writtenBytes: Math.max(0, p.writtenBytes - this.sent.writtenBytes),
      elapsedNs: Math.max(0, elapsedNs - this.sent.elapsedNs),
    };
    this.lastSentAt = Date.now();
    if (!this.always && delta.readRows === 0 && delta.readBytes === 0 && delta.totalRows === 0 && delta.writtenRows === 0 && delta.writtenBytes === 0) return false;
    this.sent.readRows += delta.readRows;
    this.sent.readBytes += delta.readBytes;
    this.sent.totalRows += delta.totalRows;
    this.sent.writtenRows += delta.writtenRows;
    this.sent.writtenBytes += delta.writtenBytes;
    this.sent.elapsedNs += delta.elapsedNs;
    writeProgress(this.out.w, delta, this.revision);
    return true;
  }
}

