import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../../analytics/params.js';
import { timeseriesQuery } from '../../analytics/query-builder.js';
import { errorResponseSchema } from '../../errors.js';
import { TimeseriesQuery, TimeseriesResult } from '../../schemas/analytics.js';

interface Point {
  ts: string;
  clicks: number;
  human_clicks: number;
  conversions: number;
  revenue: number;
}

/** Hourly or daily buckets over the range, empty ones included. */
export async function timeseriesRoute(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/analytics/timeseries',
    {
      config: { auth: true },
      schema: {
        querystring: TimeseriesQuery,
        response: { 200: TimeseriesResult, '4xx': errorResponseSchema },
      },
    },
    async (request, reply): Promise<TimeseriesResult> => {
      const scope = scopeOf(request.query, app.analytics.windowDays);
      const interval = request.query.interval ?? 'day';
      const { sql, params } = timeseriesQuery(scope, interval);
      const points = await app.analytics.rows<Point>(reply, sql, params);
      return {
        interval,
        points: points.map((p) => ({
          ts: p.ts,
          clicks: scope.includeBots ? p.clicks : p.human_clicks,
          human_clicks: p.human_clicks,
          bot_clicks: p.clicks - p.human_clicks,
          conversions: p.conversions,
          revenue: p.revenue,
        })),
      };
    },
  );
}
