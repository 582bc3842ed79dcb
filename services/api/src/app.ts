import type { AnalystSql, AnalyticsReader } from '@linktrack/store';
import { healthPlugin, type Logger, type Readiness } from '@linktrack/telemetry';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ConversionService } from './conversions/conversion-service.js';
import { createErrorHandler } from './error-handler.js';
import { ApiError } from './errors.js';
import type { LinkService } from './links/link-service.js';
import { analyticsPlugin } from './plugins/analytics.js';
import { authPlugin } from './plugins/auth.js';
import { clickhousePlugin } from './plugins/clickhouse.js';
import { conversionsPlugin } from './plugins/conversions.js';
import { linksPlugin } from './plugins/links.js';
import { analyticsRoutes } from './routes/analytics/index.js';
import { conversionRoutes } from './routes/conversions.js';
import { linkRoutes } from './routes/links.js';
import { qrRoutes } from './routes/qr.js';
import { sqlRoutes } from './routes/sql.js';
import { type UtmRouteOptions, utmRoutes } from './routes/utm.js';

export interface ApiAppDeps {
  apiKey: string;
  analyst: AnalystSql;
  /** The analytics routes' reads and attribution window (LINKTRACK_ATTRIBUTION_WINDOW_DAYS). */
  analytics: { reader: AnalyticsReader; windowDays: number };
  links: LinkService;
  conversions: ConversionService;
  /** The taxonomy and destination rules, the QR marker and click-id parameter names. */
  linkRules: UtmRouteOptions & { qrParam: string };
  logger: Logger;
  readiness: () => Readiness;
}

export async function buildApiApp(deps: ApiAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    // An unknown field is an error naming it, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    // The router's own errors quote the path (up to the URL limit); answer without it.
    frameworkErrors: (err, _request, reply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const error = tooLong
        ? new ApiError('LT_API_PATH_TOO_LONG', 'the request path is too long')
        : new ApiError('LT_API_BAD_PATH', 'the request path is malformed');
      (reply as unknown as FastifyReply)
        .code(error.statusCode)
        .send({ error: { code: error.code, message: error.message } });
    },
  });
  app.setErrorHandler(createErrorHandler(deps.logger));
  // JSON answers end with a newline, so curl output does not run into the prompt.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    return typeof payload === 'string' && type.startsWith('application/json') ? `${payload}\n` : payload;
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      // The path is not echoed: it can be anything up to the URL length limit.
      error: {
        code: 'LT_API_NOT_FOUND',
        message: `no ${request.method} route at this path; see the README's HTTP api`,
      },
    }),
  );
  // Plugins first: routes use their decorators.
  await app.register(authPlugin, { apiKey: deps.apiKey });
  await app.register(clickhousePlugin, { analyst: deps.analyst });
  await app.register(linksPlugin, { service: deps.links });
  await app.register(conversionsPlugin, { service: deps.conversions });
  await app.register(analyticsPlugin, deps.analytics);
  // No /metrics here: metrics are on the internal listener.
  await app.register(healthPlugin, { readiness: deps.readiness });
  await app.register(linkRoutes);
  await app.register(qrRoutes, { qrParam: deps.linkRules.qrParam });
  await app.register(utmRoutes, deps.linkRules);
  await app.register(sqlRoutes);
  await app.register(conversionRoutes);
  await app.register(analyticsRoutes);
  return app;
}
