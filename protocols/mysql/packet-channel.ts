import type { Socket } from 'node:net';
import { ProtocolError, writeErrPacket } from './mysql-errors.js';
import { PacketFramer, PacketTooLargeError, PacketWriter, type Packet } from './packet-codec.js';
import { whenWritable } from '../socket-drain.js';

/**
 * One socket as a stream of MySQL packets: incoming bytes become whole packets queued for the command loop
 * (the socket pauses when a client runs far ahead), outgoing packets carry the running sequence id and
 * writes wait while the socket's buffer is full. A framing error (oversized packet) is answered with ERR and
 * closes the connection.
 */
export class PacketChannel {
  private readonly framer: PacketFramer;
  private readonly queue: Packet[] = [];
  private waiting: ((p: Packet | null) => void) | undefined;
  private ended = false;
  private seq = 0;
  private readonly sequence = { next: () => this.seq++ };

  constructor(
    private readonly socket: Socket,
    maxPacketSize: number,
    private readonly onClosed: () => void,
  ) {
    this.framer = new PacketFramer(maxPacketSize);
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => this.closed());
    socket.on('error', () => undefined);
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** The next packet, or null once the connection closed. Replies continue its sequence. */
  async next(): Promise<Packet | null> {
    let p = this.queue.shift();
    if (p && this.queue.length < 16 && this.socket.isPaused()) this.socket.resume();
    if (!p && !this.ended) p = (await new Promise<Packet | null>((resolve) => (this.waiting = resolve))) ?? undefined;
    if (!p) return null;
    this.seq = (p.sequenceId + 1) & 0xff;
    return p;
  }

  /** A writer numbering its packets from the current sequence id. */
  writer(): PacketWriter {
    return new PacketWriter(this.sequence);
  }

  /** Writes the packets built so far and waits while the socket's buffer is full. */
  async send(w: PacketWriter): Promise<void> {
    if (w.length === 0 || this.ended) return;
    if (this.socket.write(w.take())) return;
    await whenWritable(this.socket);
  }

  /** Ends the connection gracefully (pending output is flushed). */
  end(): void {
    if (!this.socket.destroyed) this.socket.end();
    this.closed();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    if (this.ended) return;
    let packets: Packet[];
    try {
      packets = this.framer.push(d);
    } catch (e) {
      const w = this.writer();
      if (e instanceof PacketTooLargeError) writeErrPacket(w, ProtocolError.PACKET_TOO_LARGE, e.message);
      else writeErrPacket(w, ProtocolError.MALFORMED_PACKET, String((e as Error).message));
      this.socket.end(w.take());
      this.closed();
      return;
    }
    for (const p of packets) {
      if (this.waiting) {
        const wake = this.waiting;
        this.waiting = undefined;
        wake(p);
      } else this.queue.push(p);
    }
    // A client that sends commands faster than they run waits for TCP, not for our memory.
    if (this.queue.length > 64) this.socket.pause();
  }

  private closed(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake(null);
    }
    this.onClosed();
  }
}
