import type { Socket } from 'node:net';
import { BinaryWriter } from '../../src/types/serializations/buffer.js';
import { whenWritable } from '../socket-drain.js';

/**
 * Packets on their way to the client: encoders append to `w`, `flush()` hands the bytes to the socket and
 * waits while the socket's buffer is over its high-water mark, so a slow reader slows the query down
 * instead of growing our memory.
 */
export class PacketOutput {
  readonly w = new BinaryWriter(64 * 1024);

  constructor(private readonly socket: Socket) {}

  get closed(): boolean {
    return this.socket.destroyed || !this.socket.writable;
  }

  private corked = false;

  /**
   * Packets written in one turn of the event loop leave in one write: the socket is corked at the first
   * write and uncorked on setImmediate. A small query (header, block, profile info, end) is then one
   * system call instead of five, while a slow query's blocks still go out as soon as the loop turns.
   */
  private write(bytes: Uint8Array): boolean {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    return this.socket.write(bytes);
  }

  /** Writes what has been encoded; resolves when the socket can take more. */
  async flush(): Promise<void> {
    if (this.w.pos === 0 || this.closed) {
      this.w.reset();
      return;
    }
    const ok = this.write(this.w.take());
    if (ok) return;
    await whenWritable(this.socket);
  }

  /** Writes without waiting (packets sent from timers, between awaits of the query loop). */
  flushNow(): void {
    if (this.w.pos === 0 || this.closed) {
      this.w.reset();
      return;
    }
    this.write(this.w.take());
  }
}
