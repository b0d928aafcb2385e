// One drain at a time: background readers (the change dispatcher, the pull hub) are woken by commits and
// notifications far more often than they can drain; a wake during a drain makes exactly one more drain after it.

export class SerialDrain {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly drain: () => Promise<void>,
    /** Whether draining is allowed now (started and not stopped). */
    private readonly active: () => boolean,
    /** Runs when a drain ends with no wake waiting (e.g. to schedule the next poll). */
    private readonly rested: () => void = () => {},
  ) {}

  wake(): void {
    if (!this.active()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.rested();
    });
  }

  /** The drain in progress, if any (stop waits for it). */
  get current(): Promise<void> | undefined {
    return this.running;
  }
}
