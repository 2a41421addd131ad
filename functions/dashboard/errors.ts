/**
 * Errors of the dashboard API. Each maps to one HTTP status; the message is safe to show to the
 * caller (it names the parameter and the value it got, never internals).
 */

/** A request the API refuses: the status is what the client gets, the message its body. */
export class DashboardRequestError extends Error {
  override readonly name = 'DashboardRequestError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405,
    message: string,
  ) {
    super(message);
  }
}

/** 400: a parameter is missing, unknown or malformed. */
export const badRequest = (message: string): DashboardRequestError => new DashboardRequestError(400, message);

/** 404: no such query or file. */
export const notFound = (message: string): DashboardRequestError => new DashboardRequestError(404, message);
