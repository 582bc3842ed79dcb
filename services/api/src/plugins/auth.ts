import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors.js';

export interface AuthOptions {
  apiKey: string;
}

/** Bearer-key auth for every route that asks for it with `config: { auth: true }`. */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    const expected = Buffer.from(options.apiKey);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (!(request.routeOptions.config as { auth?: boolean }).auth) return;
      const header = request.headers.authorization ?? '';
      const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
      // Constant-time comparison, so response timing reveals nothing about the key.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ApiError(
          'LT_API_UNAUTHORIZED',
          'missing or wrong API key: send "Authorization: Bearer <key>"',
        );
      }
    });
  },
  { name: 'linktrack-auth' },
);
