/**
 * The exchange's clock as seen from here: offset = serverTime − local midpoint of the round trip. Synced lazily
 * before the first private call and again when Bitget answers 40008 (timestamp expired); concurrent callers
 * share one sync.
 */
export class ServerClock {
  private offsetMs = 0;
  private known = false;
  private initial: Promise<void> | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly fetchServerTime: () => Promise<number>,
    private readonly now: () => number = Date.now,
  ) {}

  /** ACCESS-TIMESTAMP for a request sent now. */
  timestamp(): string {
    return String(Math.round(this.now() + this.offsetMs));
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** The exchange's time now (epoch ms) as last synced or observed; undefined before either. */
  serverNow(): number | undefined {
    return this.known ? this.now() + this.offsetMs : undefined;
  }

  /** Syncs once; later calls resolve at once. A failed sync is retried by the next call. */
  ensureSynced(): Promise<void> {
    if (this.initial === null) {
      this.initial = this.resync().catch((error: unknown) => {
        this.initial = null;
        throw error;
      });
    }
    return this.initial;
  }

  /**
   * A server time read by the caller (sent at `sentAt`, answered at `receivedAt`, local ms) sets the offset as a
   * sync would, so that the first private call after it asks the server time no second time.
   */
  observe(serverTime: number, sentAt: number, receivedAt: number): void {
    this.offsetMs = Math.round(serverTime - (sentAt + receivedAt) / 2);
    this.known = true;
    this.initial ??= Promise.resolve();
  }

  /** Syncs now (joining a sync already under way). */
  resync(): Promise<void> {
    if (this.inFlight === null) {
      this.inFlight = this.sync().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  private async sync(): Promise<void> {
    const before = this.now();
    const serverTime = await this.fetchServerTime();
    const after = this.now();
    this.offsetMs = Math.round(serverTime - (before + after) / 2);
    this.known = true;
  }
}
