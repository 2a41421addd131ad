/**
 * At most `concurrency` tasks at a time; the rest wait in order. The dashboard runs queries
 * one at a time on DuckDB (one connection) and a few at a time on Athena.
 *
 *   const limit = limiter(1);
 *   await Promise.all([limit(a), limit(b)]) // b starts when a settles
 */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number >= 1; got ${concurrency}`);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}
