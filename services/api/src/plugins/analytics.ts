import type { AnalyticsReader, QueryParams } from '@linktrack/store';
import { StoreError } from '@linktrack/store';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors.js';

export interface AnalyticsOptions {
  reader: AnalyticsReader;
  /** LINKTRACK_ATTRIBUTION_WINDOW_DAYS. */
  windowDays: number;
}

export interface Analytics extends AnalyticsOptions {
  /** Rows of a built statement; cancelled when the client goes away. */
  rows<T>(reply: FastifyReply, sql: string, params: QueryParams): Promise<T[]>;
}

declare module 'fastify' {
  interface FastifyInstance {
    analytics: Analytics;
  }
}

/** A signal that fires when the client goes away before its answer is written. */
export function clientGone(reply: FastifyReply): { signal: AbortSignal; done: () => void } {
  const gone = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) gone.abort();
  };
  reply.raw.once('close', onClose);
  return { signal: gone.signal, done: () => reply.raw.off('close', onClose) };
}

export function busyAsApiError(err: unknown): unknown {
  return err instanceof StoreError && err.code === 'LT_STORE_BUSY'
    ? new ApiError('LT_ANALYTICS_BUSY', err.message)
    : err;
}

/** The analytics routes' reader and attribution window. */
export const analyticsPlugin = fp(
  async (app: FastifyInstance, options: AnalyticsOptions) => {
    app.decorate('analytics', {
      ...options,
      async rows<T>(reply: FastifyReply, sql: string, params: QueryParams): Promise<T[]> {
        const { signal, done } = clientGone(reply);
        try {
          return await options.reader.rows<T>(sql, params, signal);
        } catch (err) {
          throw busyAsApiError(err);
        } finally {
          done();
        }
      },
    });
  },
  { name: 'linktrack-analytics' },
);
