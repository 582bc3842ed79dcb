import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors.js';

export interface AuthOptions {
  apiKey: string;
}

/** Keys shorter than this are refused at start, wherever they come from. */
export const MIN_API_KEY_LENGTH = 16;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Bearer-key auth for every route that asks for it with `config: { auth: true }`. */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    // A short or empty key would make auth decorative: refuse to serve rather than accept it.
    if (options.apiKey.length < MIN_API_KEY_LENGTH) {
      throw new Error(`the api key must be at least ${MIN_API_KEY_LENGTH} characters`);
    }
    const expected = digest(options.apiKey);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (!(request.routeOptions.config as { auth?: boolean }).auth) return;
      const header = request.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      // Equal-length digests compared in constant time: timing says nothing about the key or its length.
      if (given === '' || !timingSafeEqual(digest(given), expected)) {
        throw new ApiError(
          'LT_API_UNAUTHORIZED',
          'missing or wrong API key: send "Authorization: Bearer <key>"',
        );
      }
    });
  },
  { name: 'linktrack-auth' },
);
