import type { FastifyInstance } from 'fastify';
import { breakdownRoute } from './breakdown.js';
import { exportRoute } from './export.js';
import { funnelRoute } from './funnel.js';
import { summaryRoute } from './summary.js';
import { timeseriesRoute } from './timeseries.js';

/** GET /v1/analytics/*: summary, breakdown, timeseries, funnel, export. */
export async function analyticsRoutes(app: FastifyInstance) {
  await app.register(summaryRoute);
  await app.register(breakdownRoute);
  await app.register(timeseriesRoute);
  await app.register(funnelRoute);
  await app.register(exportRoute);
}
