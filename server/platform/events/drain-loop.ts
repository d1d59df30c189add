/**
 * One delivery pass at a time: a kick while a pass runs asks for one more pass after it (so nothing committed
 * meanwhile waits for the next poll), and every caller's promise resolves when the passes end.
 */
export class DrainLoop {
  #running: Promise<void> | null = null;
  #again = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly stopped: () => boolean,
    private readonly onError: (err: unknown) => void,
  ) {}

  kick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.pass();
        } while (this.#again && !this.stopped());
      } catch (err) {
        this.onError(err);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Resolves when a running pass (if any) has ended. */
  async idle(): Promise<void> {
    await this.#running;
  }
}
