import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Read-only ClickHouse client for analyst SQL. */
    clickhouseReader: ClickHouseClient;
  }
}

/** Exposes the read-only client; the store that owns it is opened and closed by the process, not the app. */
export const clickhousePlugin = fp(
  async (app: FastifyInstance, options: { reader: ClickHouseClient }) => {
    app.decorate('clickhouseReader', options.reader);
  },
  { name: 'linktrack-clickhouse' },
);
