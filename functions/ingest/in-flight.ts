/**
 * Backpressure on memory: the bytes of request bodies the endpoint holds at once (as received,
 * and again after gunzip) are counted against one budget; a request that would pass it is
 * answered 503 + Retry-After (before its body is read when it declares a Content-Length), so
 * 40 clients sending 8 MiB at once cost the budget, not 40 × 8 MiB.
 *
 *   const budget = new InFlightBudget(64 * 1024 * 1024);
 *   const claim = budget.request();  claim.take(n) -> false when over;  claim.release()
 */
export interface BodyClaim {
  /** Counts `bytes` more for this request; false (and nothing taken) when over the budget. */
  take(bytes: number): boolean;
  /** Gives back everything this request took (idempotent). */
  release(): void;
}

export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export class InFlightBudget {
  private used = 0;

  constructor(readonly capBytes: number = DEFAULT_MAX_IN_FLIGHT_BYTES) {}

  get inFlightBytes(): number {
    return this.used;
  }

  request(): BodyClaim {
    let taken = 0;
    return {
      take: (bytes) => {
        // One request alone may always use up to the body limit, so a lone client is never refused.
        if (taken > 0 || this.used > 0) {
          if (this.used + bytes > this.capBytes) return false;
        }
        this.used += bytes;
        taken += bytes;
        return true;
      },
      release: () => {
        this.used -= taken;
        taken = 0;
      },
    };
  }
}

/** No cap (the handler used on its own, in tests). */
export const unlimitedBudget = new InFlightBudget(Number.POSITIVE_INFINITY);
