import { CHROMIUM, launchChromium } from '../chromium.ts';

/**
 * What a browser requests to show the dashboard's default view, recorded once with the real
 * Chromium (playwright-core, as the browser tests drive it) and replayed with fetch, so a
 * benchmark measures the page's own requests (its files, module imports, /api/meta, the batch)
 * rather than a list kept by hand that drifts from the page.
 *
 *   const load = await recordPageLoad(url);          // Chromium opens `${url}/`
 *   const { ms } = await replayPageLoad(url, load.requests);
 *
 * Each recorded request keeps the requests it waited for: those whose answer Chromium had read
 * before it asked (app.js before its imports, the imports before /api/meta, /api/meta before the
 * batch). The replay asks each one as soon as those are answered: the browser's critical path
 * without its parsing and rendering.
 */

export interface RecordedRequest {
  /** Path and query, e.g. `/api/batch?days=7&tz=UTC&queries=...`. */
  readonly path: string;
  /** Indexes of the requests answered before this one was asked. */
  readonly after: readonly number[];
}

export interface RecordedLoad {
  readonly requests: readonly RecordedRequest[];
  /** Chromium's own time from asking for the page to the last answer, ms. */
  readonly browserMs: number;
}

/** Opens the page in Chromium and records every request to `origin` until the network is idle. */
export async function recordPageLoad(origin: string): Promise<RecordedLoad> {
  const browser = await launchChromium().catch((error: unknown) => {
    throw new Error(
      `the dashboard benchmark records the page's requests with Chromium (${CHROMIUM}; set CHROMIUM_PATH): ${String(error)}`,
    );
  });
  try {
    const page = await browser.newPage();
    const asked: { path: string; at: number; answered: Set<number> }[] = [];
    const index = new Map<unknown, number>();
    const answered = new Set<number>();
    let lastAnswer = 0;
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) return;
      index.set(request, asked.length);
      asked.push({
        path: request.url().slice(origin.length),
        at: performance.now(),
        answered: new Set(answered),
      });
    });
    page.on('requestfinished', (request) => {
      const i = index.get(request);
      if (i === undefined) return;
      answered.add(i);
      lastAnswer = performance.now();
    });
    const failed: string[] = [];
    page.on('requestfailed', (request) => {
      if (index.has(request)) failed.push(request.url());
    });
    await page.goto(`${origin}/`, { waitUntil: 'networkidle', timeout: 120_000 });
    if (failed.length > 0) throw new Error(`requests of the page failed: ${failed.join(', ')}`);
    if (!asked.some((r) => r.path.startsWith('/api/batch'))) {
      throw new Error(`the page asked for no /api/batch: ${asked.map((r) => r.path).join(', ')}`);
    }
    if (answered.size !== asked.length) throw new Error('a request of the page was never answered');
    return {
      requests: asked.map((r) => ({ path: r.path, after: [...r.answered].sort((a, b) => a - b) })),
      browserMs: lastAnswer - asked[0]!.at,
    };
  } finally {
    await browser.close();
  }
}

export interface ReplayedLoad {
  /** First request asked to last answer read, ms. */
  readonly ms: number;
  /** When each request's answer was read, ms after the first was asked, in recording order. */
  readonly answeredAt: readonly number[];
}

/** Asks `requests` of `origin` in their recorded order of dependence; fails on any non-200. */
export async function replayPageLoad(
  origin: string,
  requests: readonly RecordedRequest[],
): Promise<ReplayedLoad> {
  const start = performance.now();
  const done: Promise<number>[] = [];
  for (const request of requests) {
    done.push(
      Promise.all(request.after.map((i) => done[i]!)).then(async () => {
        const response = await fetch(origin + request.path);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${request.path}: HTTP ${response.status}`);
        return performance.now() - start;
      }),
    );
  }
  const answeredAt = await Promise.all(done);
  return { ms: Math.max(...answeredAt), answeredAt };
}
