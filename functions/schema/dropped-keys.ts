/**
 * Counts attribute keys the allowlist dropped, by name only (never by value), so operators can
 * see schema drift when Claude Code adds attributes. Bounded: after MAX_DISTINCT names the rest
 * are counted under `(other)`. Names are cut and reduced to a safe alphabet before reporting,
 * since a key, too, is sender-controlled text.
 */
export const MAX_DISTINCT_DROPPED_KEYS = 100;
const MAX_KEY_LENGTH = 64;

export class DroppedKeyCounter {
  private readonly counts = new Map<string, number>();

  /** `maxDistinct`: unbounded only for a scratch counter whose input is already bounded. */
  constructor(private readonly maxDistinct = MAX_DISTINCT_DROPPED_KEYS) {}

  add(key: string, times = 1): void {
    const current = this.counts.get(key);
    if (current !== undefined) this.counts.set(key, current + times);
    else if (this.counts.size < this.maxDistinct) this.counts.set(key, times);
    else this.counts.set('(other)', (this.counts.get('(other)') ?? 0) + times);
  }

  /** Adds every count of `other`, in the order its names first came, as if added here. */
  addAll(other: DroppedKeyCounter): void {
    for (const [key, times] of other.counts) this.add(key, times);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** Safe names with their counts, most frequent first. */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    const sorted = [...this.counts].sort((a, b) => b[1] - a[1]);
    for (const [key, n] of sorted) {
      const safe = safeKeyName(key);
      out[safe] = (out[safe] ?? 0) + n;
    }
    return out;
  }
}

export function safeKeyName(key: string): string {
  if (key === '(other)') return key;
  return key.slice(0, MAX_KEY_LENGTH).replace(/[^A-Za-z0-9_.-]/g, '?');
}
