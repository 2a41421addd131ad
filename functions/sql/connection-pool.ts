/**
 * A fixed set of connections lent one at a time: DuckDB runs statements of different
 * connections of one instance at once (each on its own snapshot), one connection's one after
 * another. The dashboard's page load is ~20 queries, so it runs them on a few.
 *
 *   const pool = new ConnectionPool([a, b]);
 *   await pool.use((connection) => connection.runAndReadAll(sql)); // waits while all are lent
 */
export class ConnectionPool<C> {
  private readonly idle: C[];
  private readonly waiting: ((connection: C) => void)[] = [];

  constructor(readonly all: readonly C[]) {
    if (all.length === 0) throw new Error('a connection pool needs at least one connection');
    this.idle = [...all];
  }

  async use<T>(task: (connection: C) => Promise<T>): Promise<T> {
    const connection = this.idle.pop() ?? (await new Promise<C>((resolve) => this.waiting.push(resolve)));
    try {
      return await task(connection);
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }
}
