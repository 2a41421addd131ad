export { type ApiResponse, DashboardApi, type DashboardApiOptions } from './api.ts';
export { type CreateDashboardOptions, createDashboard, type Dashboard } from './create-dashboard.ts';
export { DashboardRequestError } from './errors.ts';
export { createDashboardHandler, type DashboardHandlerOptions, type RouteHandler } from './http-handler.ts';
export { catalogQueries, dataLatency, type NamedQueries } from './named-queries.ts';
export { ResultCache, type ResultCacheOptions } from './result-cache.ts';
export { type RunningServer, startHttpServer } from './server.ts';
export { type ParsedWindow, parseWindowParams, type WindowDefaults } from './window-params.ts';
