import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The optional token: when the dashboard is started with one, every API request must carry it as
 * `Authorization: Bearer <token>` or as `?token=<token>` (for a link opened in a browser).
 * Compared in constant time over digests, so neither content nor length leaks.
 */
export function presentedToken(headers: IncomingHttpHeaders, params: URLSearchParams): string | undefined {
  const header = headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m ? m[1] : '';
  }
  return params.get('token') ?? undefined;
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export const isLoopbackHost = (host: string): boolean =>
  LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * DNS-rebinding guard for a server bound to loopback: a page on some other site that resolves
 * its own name to 127.0.0.1 sends its own Host header, which this refuses.
 */
export function hostHeaderAllowed(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader);
  return m !== null && isLoopbackHost(m[1]!);
}
