// Runs an asynchronous check after every edit without queueing stale ones: at once when idle, and when asked again
// while a run is under way, once more after it with whatever is current then.

export class LatestOnly {
  private running = false;
  private again = false;

  /** `task` is told whether a newer request arrived while it ran, so it can drop its now stale answer. */
  constructor(private readonly task: (superseded: () => boolean) => Promise<void>) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    void this.loop();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        await this.task(() => this.again);
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
