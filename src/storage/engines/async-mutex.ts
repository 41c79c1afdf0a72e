/** Serializes async tasks (commits, merges, mutations): each runs after the previous one settles. */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();
  private depth = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      this.depth++;
      return task().finally(() => this.depth--);
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** True while a task runs or waits. */
  get busy(): boolean {
    return this.depth > 0;
  }
}
