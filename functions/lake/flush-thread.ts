import { Worker } from 'node:worker_threads';
import { type FlushResult, flushSegment } from './flush-segment.ts';
import type { FlushRequest } from './flush-worker.ts';
import type { TableName } from './lake-table.ts';

/**
 * Runs segment flushes on one worker thread (flush-worker.ts), one at a time, and falls back to
 * the calling thread if the worker cannot start or dies: a flush is never skipped, only moved.
 * From dist/ the worker is the compiled `flush-worker.js` (the build rewrites the URL below);
 * only when running from the TypeScript sources does it load them through tsx.
 */
export class FlushThread {
  private worker: Worker | null = null;
  private broken = false;
  private ready = false;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (r: FlushResult) => void; reject: (e: Error) => void }
  >();

  /** Whether flushes currently run on the worker (false before the first one and after a fallback). */
  get onWorker(): boolean {
    return this.worker !== null && !this.broken;
  }

  run(lake: string, segment: string, table: TableName = 'events'): Promise<FlushResult> {
    const worker = this.broken ? null : this.ensureWorker();
    if (!worker) return flushSegment(lake, segment, table);
    const id = this.nextId++;
    return new Promise<FlushResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Referenced while a flush runs (the process must not exit mid-flush), unreferenced when idle.
      worker.ref();
      worker.postMessage({ id, lake, segment, table } satisfies FlushRequest);
    }).catch((error: Error & { workerDied?: boolean }) => {
      if (error.workerDied) return flushSegment(lake, segment, table);
      throw error;
    });
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(workerEntry());
      worker.on('message', (m: { id?: number; ready?: true; result?: FlushResult; error?: string }) => {
        if (m.id === undefined) {
          this.ready = true;
          return;
        }
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (this.pending.size === 0) worker.unref();
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.result!);
      });
      const die = () => {
        this.broken = true;
        this.worker = null;
        for (const p of this.pending.values())
          p.reject(Object.assign(new Error('flush worker died'), { workerDied: true }));
        this.pending.clear();
      };
      worker.on('error', die);
      worker.on('exit', die);
      worker.unref();
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return null;
    }
  }

  /**
   * Starts the worker now and resolves once it has loaded its modules (or could not start: the
   * flushes then run here), so that loading does not compete with the first flush's requests.
   */
  start(): Promise<void> {
    const worker = this.broken ? null : this.ensureWorker();
    if (!worker || this.ready) return Promise.resolve();
    // Referenced while loading, so the process waits for it (unreferenced again once idle).
    worker.ref();
    return new Promise<void>((resolve) => {
      const done = () => {
        worker.off('message', done);
        worker.off('exit', done);
        if (this.pending.size === 0) worker.unref();
        resolve();
      };
      worker.on('message', done);
      worker.on('exit', done);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.broken = true;
    this.worker = null;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
}

/** The worker's entry: compiled JavaScript as it is, TypeScript through tsx's loader. */
function workerEntry(): URL {
  const entry = new URL('./flush-worker.ts', import.meta.url);
  if (entry.pathname.endsWith('.js')) return entry;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
