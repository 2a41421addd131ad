// Talks to the dashboard's JSON API. The token (when the server wants one) arrives once as
// `?token=` in the page's address, is kept for this tab only, and is sent as a bearer header.

const TOKEN_KEY = 'claude-otel-lake.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Moves a `?token=` from the address bar into session storage, so it is not left in history. */
export function adoptTokenFromAddress() {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** GET a path of the API; resolves to its JSON body, rejects with ApiError carrying the server's message. */
/** The bearer header when this tab holds a token, else nothing. */
export function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function getJson(path) {
  const headers = { accept: 'application/json', ...authHeaders() };
  let response;
  try {
    response = await fetch(path, { headers });
  } catch (error) {
    throw new ApiError(0, `the dashboard server did not answer (${error.message})`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // fall through: a body that is not JSON
  }
  if (!response.ok) {
    throw new ApiError(response.status, body?.error ?? `HTTP ${response.status}`);
  }
  return body;
}

/** `/api/queries/<name>?<range>` for one named query. */
export function fetchQuery(name, rangeParams) {
  return getJson(`/api/queries/${encodeURIComponent(name)}?${rangeParams.toString()}`);
}

/** `/api/batch`: every named query of a page load in one request, one window, one validation. */
export function fetchBatch(names, params) {
  const query = new URLSearchParams(params);
  query.set('queries', names.join(','));
  return getJson(`/api/batch?${query.toString()}`);
}

/** Where a table's CSV download is: the same query, range and filters. */
export function csvHref(name, params) {
  return `/api/queries/${encodeURIComponent(name)}.csv?${new URLSearchParams(params).toString()}`;
}
