import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../../analytics/params.js';
import { summaryQuery } from '../../analytics/query-builder.js';
import { rate } from '../../analytics/rate.js';
import { errorResponseSchema } from '../../errors.js';
import { SummaryQuery, SummaryResult } from '../../schemas/analytics.js';

interface SummaryRow {
  clicks: number;
  human_clicks: number;
  unique_visitors: number;
  conversions: number;
  revenue: number;
  unattributed_conversions: number;
  bot_conversions: number;
}

/** Totals for a range: clicks, people, visitors, credited conversions and revenue, and the uncredited. */
export async function summaryRoute(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/analytics/summary',
    {
      config: { auth: true },
      schema: { querystring: SummaryQuery, response: { 200: SummaryResult, '4xx': errorResponseSchema } },
    },
    async (request, reply): Promise<SummaryResult> => {
      const scope = scopeOf(request.query, app.analytics.windowDays);
      const { sql, params } = summaryQuery(scope);
      const [row] = await app.analytics.rows<SummaryRow>(reply, sql, params);
      if (!row) throw new Error('the summary query returned no row');
      const bot_clicks = row.clicks - row.human_clicks;
      return {
        ...row,
        bot_clicks,
        conversion_rate: rate(row.conversions, scope.includeBots ? row.clicks : row.human_clicks),
        model: scope.model,
        from: new Date(scope.range.fromMs).toISOString(),
        to: new Date(scope.range.toMs).toISOString(),
      };
    },
  );
}
