import type { AnalystSql } from '@linktrack/store';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Checked, read-only, bounded SQL for analysts. */
    analystSql: AnalystSql;
  }
}

/** Exposes analyst SQL; the store that owns it is opened and closed by the process, not the app. */
export const clickhousePlugin = fp(
  async (app: FastifyInstance, options: { analyst: AnalystSql }) => {
    app.decorate('analystSql', options.analyst);
  },
  { name: 'linktrack-clickhouse' },
);
