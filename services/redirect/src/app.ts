import { STATUS_CODES } from 'node:http';
import type { RedirectStatus, TrustProxy } from '@linktrack/config';
import { type LinkIndex, type LocationRules, redirectLocation } from '@linktrack/links';
import { healthPlugin, type Logger, type Metrics, type Readiness } from '@linktrack/telemetry';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { ClickBuffer } from './click-buffer.js';
import { buildClickEvent } from './click-event.js';
import { type CollectOptions, collectRoutes } from './collect/collect-routes.js';
import { GONE_HTML, NOT_FOUND_HTML } from './not-found.js';
import { requestedPath, visitTypeOf } from './visit-type.js';

export interface RedirectAppDeps {
  status: RedirectStatus;
  trustProxy: TrustProxy;
  links: LinkIndex;
  clicks: Pick<ClickBuffer, 'push'>;
  logger: Logger;
  metrics: Metrics;
  /** Ready once the link index is loaded and the process's main thread is alive. */
  readiness: () => Readiness;
  /** The first-party script and its collect endpoint; absent: neither is served. */
  collect?: Omit<CollectOptions, 'metrics' | 'clickIdParam'>;
  /** The query parameter that carries the click id to landing pages (lt_cid). */
  clickIdParam: string;
  /** The query parameter the QR codes carry (lt_qr): marks a scan, never forwarded. */
  qrParam: string;
  now?: () => number;
}

// Repeat clicks must reach us to be counted, so no browser or proxy may cache the redirect.
const NO_STORE = 'private, no-store';
const SLUG_MAX = 256;

export function buildRedirectApp(deps: RedirectAppDeps): FastifyInstance {
  const now = deps.now ?? Date.now;
  const strip = new Set([deps.clickIdParam, deps.qrParam]);
  // Bound once: a labelled child per outcome, not a label lookup per request.
  const outcome = (name: string) => deps.metrics.redirectRequests.labels({ outcome: name });
  const found = outcome('found');
  const notFound = outcome('not_found');
  const app = Fastify({
    // Fastify accepts a hop count at run time; its typings omit the number form.
    trustProxy: deps.trustProxy as boolean | string[],
    // Longer slugs get 414 from the router; over-long headers get 431 from Node.
    routerOptions: { maxParamLength: SLUG_MAX },
    bodyLimit: 1_024,
    logger: false,
    return503OnClosing: true,
    // Router errors (over-long or malformed paths) get the status phrase only, never the path back.
    frameworkErrors: (err, _request, generic) => {
      const status = err.statusCode ?? 400;
      const reply = generic as unknown as FastifyReply;
      reply
        .code(status)
        .header('cache-control', NO_STORE)
        .type('text/plain; charset=utf-8')
        .send(`${STATUS_CODES[status] ?? 'Bad Request'}\n`);
    },
  });

  // Only the status's own phrase goes back: error texts can quote the request (a 10 KB path, say).
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) deps.logger.error({ event: 'redirect_error', err }, 'redirect request failed');
    reply
      .code(status)
      .header('cache-control', NO_STORE)
      .type('text/plain; charset=utf-8')
      .send(`${STATUS_CODES[status] ?? 'Error'}\n`);
  });
  // No /metrics here: this port is public; metrics are on the internal listener.
  app.register(healthPlugin, { readiness: deps.readiness });
  if (deps.collect)
    collectRoutes(app, { ...deps.collect, clickIdParam: deps.clickIdParam, metrics: deps.metrics });

  app.get<{ Params: { slug: string } }>(
    '/:slug',
    {
      schema: {
        params: {
          type: 'object',
          properties: { slug: { type: 'string', minLength: 1, maxLength: SLUG_MAX } },
          required: ['slug'],
        },
        querystring: { type: 'object', additionalProperties: true },
        response: { 404: { type: 'string' }, 410: { type: 'string' } },
      },
    },
    (request, reply) => {
      const { slug } = request.params;
      const link = deps.links.get(slug);
      const visitType = visitTypeOf(slug, link, now());
      const event = buildClickEvent(request, slug, visitType, link);
      const query = event.query;
      if (hasParam(query, deps.qrParam)) event.trigger = 'qr';
      // Recorded before answering, for every outcome: orphans, 410s and HEAD checks count too.
      deps.clicks.push(event);
      if (!link || visitType === 'invalid_path' || visitType === 'unknown_slug') {
        notFound.inc();
        sendNotFound(reply);
        return;
      }
      if (visitType !== 'redirect') {
        // A link that was, and is no more: disabled, expired, or its human-click cap reached.
        deps.metrics.redirectRequests.inc({ outcome: visitType });
        reply.code(410).header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(GONE_HTML);
        return;
      }
      found.inc();
      const rules: LocationRules = {
        forwardQuery: link.forward_query,
        strip,
        clickId: link.track_conversions ? { param: deps.clickIdParam, value: event.click_id } : null,
      };
      reply
        .code(link.redirect_status || deps.status)
        .header('location', redirectLocation(link.destination, query, rules))
        .header('cache-control', NO_STORE)
        .send();
    },
  );

  // The bare domain, and paths that cannot be a slug, are visits too (base_url, invalid_path).
  app.get('/', (request, reply) => {
    deps.clicks.push(buildClickEvent(request, '', 'base_url'));
    notFound.inc();
    sendNotFound(reply);
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      deps.clicks.push(buildClickEvent(request, requestedPath(request.url), 'invalid_path'));
      notFound.inc();
    }
    sendNotFound(reply);
  });
  return app;
}

function sendNotFound(reply: FastifyReply): void {
  reply.code(404).header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(NOT_FOUND_HTML);
}

/** Whether a raw query carries `name` (as `name`, `name=` or `name=value`). */
function hasParam(query: string, name: string): boolean {
  if (query === '') return false;
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if ((eq === -1 ? part : part.slice(0, eq)) === name) return true;
  }
  return false;
}
