import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardApi } from './api.ts';
import { hostHeaderAllowed, presentedToken, tokenMatches } from './auth.ts';
import { StaticFiles } from './static-files.ts';

/**
 * The dashboard as one route handler for `node:http`, mountable on any server (the `dashboard`
 * command's own, or the OTLP endpoint of `serve`). It answers `/`, the page's files and `/api/*`,
 * and returns false for every other path so the host server can answer it.
 *
 * - Only GET and HEAD (405 otherwise).
 * - With a token, every `/api/*` request needs it (401); the page itself holds no data.
 * - On a loopback server, requests must name a loopback Host (403), against DNS rebinding.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface DashboardHandlerOptions {
  readonly api: DashboardApi;
  /** Bearer token required for `/api/*`; none means open (fine on loopback). */
  readonly token?: string;
  /** Refuse requests whose Host is not a loopback name (set when bound to loopback). */
  readonly loopbackOnly?: boolean;
  readonly files?: StaticFiles;
  readonly log?: (line: string) => void;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
  head: boolean,
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(head ? undefined : body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  head: boolean,
  headers: Record<string, string> = {},
) {
  send(
    res,
    status,
    JSON.stringify(body),
    { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    head,
  );
}

export function createDashboardHandler(options: DashboardHandlerOptions): RouteHandler {
  const files = options.files ?? new StaticFiles();
  const log = options.log ?? (() => {});
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    const file = isApi ? undefined : files.find(url.pathname);
    if (!isApi && !file) return false;

    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      sendJson(res, 405, { error: `method ${req.method} not allowed; use GET` }, false, {
        allow: 'GET, HEAD',
      });
      return true;
    }
    if (options.loopbackOnly && !hostHeaderAllowed(req.headers.host)) {
      sendJson(res, 403, { error: 'this dashboard answers only to localhost, 127.0.0.1 or [::1]' }, head);
      return true;
    }
    if (file) {
      try {
        send(
          res,
          200,
          await files.read(file),
          { 'content-type': file.contentType, 'cache-control': 'no-cache' },
          head,
        );
      } catch (error) {
        log(`dashboard: cannot read ${file.path}: ${error instanceof Error ? error.message : String(error)}`);
        sendJson(res, 500, { error: 'cannot read a page file' }, head);
      }
      return true;
    }
    if (
      options.token !== undefined &&
      !tokenMatches(options.token, presentedToken(req.headers, url.searchParams))
    ) {
      sendJson(
        res,
        401,
        { error: 'missing or wrong token: send Authorization: Bearer <token> or ?token=' },
        head,
        {
          'www-authenticate': 'Bearer realm="claude-otel-lake dashboard"',
        },
      );
      return true;
    }
    try {
      const answer = await options.api.handle(url.pathname, url.searchParams);
      if (answer.text === undefined) sendJson(res, answer.status, answer.body, head, { ...answer.headers });
      else send(res, answer.status, answer.text, { 'cache-control': 'no-store', ...answer.headers }, head);
    } catch (error) {
      log(`dashboard: ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
      sendJson(res, 500, { error: 'internal error' }, head);
    }
    return true;
  };
}
