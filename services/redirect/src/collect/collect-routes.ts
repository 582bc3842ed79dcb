import type { Metrics } from '@linktrack/telemetry';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CollectError } from '../errors.js';
import { buildTrackerScript } from '../tracker/build-script.js';
import { COLLECT_TYPES, type CollectSinks, type CollectType } from './collect-types.js';
import { createRateLimiter } from './rate-limit.js';

export interface CollectOptions {
  /** Origins whose pages may send events (LINKTRACK_ALLOWED_ORIGINS); "*" for any. */
  allowedOrigins: readonly string[];
  /** The key types that need one (`conversion`) must carry; null refuses them. */
  publishableKey?: string | null;
  clickIdParam: string;
  sinks: CollectSinks;
  metrics: Metrics;
  types?: Readonly<Record<string, CollectType>>;
  /** Per client address: a burst, then this many per second (defaults 20 and 2). */
  rateLimit?: { burst: number; perSecond: number };
}

/** The path sites include; documented in the README. */
export const SCRIPT_PATH = '/t.js';
export const COLLECT_PATH = '/v1/collect';

/**
 * GET /t.js (the first-party script) and POST /v1/collect (what it sends), on
 * the redirect host. Collect answers browsers of the allowed origins only
 * (a page's Origin header; the beacon always sends one cross-origin), each
 * client address within its rate, and takes a JSON body (sent as text/plain,
 * which a beacon may send cross-origin without a preflight) dispatched on its
 * `type`.
 */
export function collectRoutes(app: FastifyInstance, options: CollectOptions): void {
  const script = buildTrackerScript({ clickIdParam: options.clickIdParam });
  const types = options.types ?? COLLECT_TYPES;
  const limiter = createRateLimiter({
    ...(options.rateLimit ?? { burst: 20, perSecond: 2 }),
    maxClients: 100_000,
  });
  const anyOrigin = options.allowedOrigins.includes('*');
  const allowed = new Set(options.allowedOrigins);
  const originOk = (origin: string | undefined): origin is string =>
    origin !== undefined && (anyOrigin || allowed.has(origin));

  app.get(SCRIPT_PATH, (_request, reply) => {
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      // Cached an hour by browsers and CDNs; a new version reaches every site within that.
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(script);
  });

  // A fetch with another content type asks first; answered for allowed origins only.
  app.options(COLLECT_PATH, (request, reply) => {
    const origin = request.headers.origin;
    if (!originOk(origin)) return void reply.code(403).header('vary', 'Origin').send();
    reply
      .code(204)
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '86400')
      .header('vary', 'Origin')
      .send();
  });

  // A conversion with its touches is larger than the app's 1 KB limit for everything else.
  app.post(COLLECT_PATH, { bodyLimit: 4_096 }, (request, reply) => {
    let type = 'unknown';
    try {
      const origin = request.headers.origin;
      if (!originOk(origin))
        throw new CollectError('LT_COLLECT_ORIGIN', 403, 'origin: not one of LINKTRACK_ALLOWED_ORIGINS');
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (!limiter.take(request.ip))
        throw new CollectError('LT_COLLECT_RATE_LIMITED', 429, 'too many events from this client');
      const body = parseBody(request);
      const handler =
        typeof body.type === 'string' && Object.hasOwn(types, body.type) ? types[body.type] : undefined;
      if (!handler)
        throw new CollectError(
          'LT_COLLECT_UNKNOWN_TYPE',
          400,
          `type: must be one of ${Object.keys(types).join(', ')}`,
        );
      type = body.type as string;
      if (handler.needsKey) checkKey(body.key, options.publishableKey ?? null);
      handler.handle(handler.parse(body), options.sinks, Date.now());
      options.metrics.collectRequests.inc({ type, outcome: 'accepted' });
      reply.code(204).header('cache-control', 'no-store').send();
    } catch (err) {
      if (!(err instanceof CollectError)) throw err;
      options.metrics.collectRequests.inc({ type, outcome: err.code });
      sendError(reply, err);
    }
  });
}

/** A site's publishable key: it only lets pages send events, so a plain comparison will do. */
function checkKey(given: unknown, expected: string | null): void {
  if (expected === null)
    throw new CollectError(
      'LT_COLLECT_KEY',
      403,
      'key: browser conversions are off (LINKTRACK_PUBLISHABLE_KEY unset)',
    );
  if (given !== expected)
    throw new CollectError('LT_COLLECT_KEY', 403, "key: not this site's publishable key");
}

/** The body as a JSON object: text/plain (a beacon) or application/json. */
function parseBody(request: FastifyRequest): Record<string, unknown> {
  let body: unknown = request.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      throw new CollectError('LT_COLLECT_INVALID', 400, 'body: not JSON');
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new CollectError('LT_COLLECT_INVALID', 400, 'body: must be a JSON object');
  return body as Record<string, unknown>;
}

function sendError(reply: FastifyReply, err: CollectError): void {
  reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: { code: err.code, message: err.message } });
}
