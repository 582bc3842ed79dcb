import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger, Metrics } from '@linktrack/telemetry';
import Fastify, { type FastifyInstance } from 'fastify';
import { createErrorHandler } from './error-handler.js';
import type { LinkService } from './link-service.js';
import { authPlugin } from './plugins/auth.js';
import { clickhousePlugin } from './plugins/clickhouse.js';
import { linksPlugin } from './plugins/links.js';
import { healthRoutes } from './routes/health.js';
import { linkRoutes } from './routes/links.js';
import { sqlRoutes } from './routes/sql.js';

export interface ApiAppDeps {
  apiKey: string;
  reader: ClickHouseClient;
  links: LinkService;
  logger: Logger;
  metrics: Metrics;
  isReady: () => boolean;
}

export async function buildApiApp(deps: ApiAppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576, return503OnClosing: true });
  app.setErrorHandler(createErrorHandler(deps.logger));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: 'LT_API_NOT_FOUND', message: `${request.method} ${request.url} is not a route` },
    }),
  );
  // Plugins first: routes use their decorators.
  await app.register(authPlugin, { apiKey: deps.apiKey });
  await app.register(clickhousePlugin, { reader: deps.reader });
  await app.register(linksPlugin, { service: deps.links });
  await app.register(healthRoutes, { isReady: deps.isReady, metrics: deps.metrics });
  await app.register(linkRoutes);
  await app.register(sqlRoutes);
  return app;
}
