import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ConversionService } from '../conversions/conversion-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    conversions: ConversionService;
  }
}

export const conversionsPlugin = fp(
  async (app: FastifyInstance, options: { service: ConversionService }) => {
    app.decorate('conversions', options.service);
  },
  { name: 'linktrack-conversions' },
);
