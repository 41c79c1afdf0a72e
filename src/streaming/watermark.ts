/**
 * The event-time clock of one streaming query: the largest event time seen, the watermark derived from it, and
 * the late events dropped because their window had already been emitted. Shared by the window operator, which
 * observes events, and the aggregation above it, which closes windows; times are in the time column's unit.
 */
export class WatermarkClock {
  /** The largest event time observed; -Infinity before the first event. */
  maxEventTime = -Infinity;
  /** `EMIT AFTER WATERMARK WITH DELAY d`: the watermark trails the largest event time by d. */
  delay = 0;
  /** Events dropped because they arrived after their window was emitted. */
  lateEvents = 0;
  /** Set when windows are emitted by the watermark; the window operator drops events for windows it has passed. */
  dropsLate = true;

  get watermark(): number {
    return this.maxEventTime - this.delay;
  }

  observe(maxTimeInBlock: number): void {
    if (maxTimeInBlock > this.maxEventTime) this.maxEventTime = maxTimeInBlock;
  }
}
