import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  checkSurvival,
  checkUtm,
  type DestinationPolicy,
  LinkError,
  prepareDestination,
  type Utm,
  type UtmProblem,
} from '@linktrack/links';
import type { FastifyInstance } from 'fastify';
import { errorResponseSchema } from '../errors.js';
import { SurvivalBody, SurvivalResult, UtmCheckBody, UtmCheckResult } from '../schemas/links.js';

export interface UtmRouteOptions {
  policy: DestinationPolicy;
  clickIdParam: string;
  /** The survival checker may follow private and loopback addresses (never metadata or link-local). */
  checkAllowPrivate: boolean;
}

/** Checks without creating anything: UTMs against the taxonomy, and whether they survive a redirect chain. */
export async function utmRoutes(fastify: FastifyInstance, options: UtmRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/utm/check',
    {
      config: { auth: true },
      schema: { body: UtmCheckBody, response: { 200: UtmCheckResult, '4xx': errorResponseSchema } },
    },
    async (request) => {
      const body = request.body;
      if ('utm' in body) {
        const { utm, problems } = checkUtm(body.utm as Utm, options.policy.taxonomy);
        return { normalized: { utm: utm as Record<string, string> }, problems };
      }
      // Judged as a create would judge it; a strict violation is a finding here, not an error.
      const lenient = { ...options.policy, taxonomy: { ...options.policy.taxonomy, mode: 'warn' as const } };
      try {
        prepareDestination(body.url, undefined, options.policy);
      } catch (err) {
        if (!(err instanceof LinkError) || err.code !== 'LT_LINK_UTM_VIOLATION') throw err;
        const prepared = prepareDestination(body.url, undefined, lenient);
        return { normalized: normalizedOf(prepared), problems: err.problems as UtmProblem[] };
      }
      const prepared = prepareDestination(body.url, undefined, options.policy);
      return { normalized: normalizedOf(prepared), problems: prepared.problems };
    },
  );

  app.post(
    '/v1/check',
    {
      config: { auth: true },
      schema: { body: SurvivalBody, response: { 200: SurvivalResult, '4xx': errorResponseSchema } },
    },
    async (request) => {
      const expect = request.body.expect_utm
        ? Object.fromEntries(
            Object.entries(request.body.expect_utm).map(([k, v]) => [`utm_${k}`, v as string]),
          )
        : undefined;
      return checkSurvival(request.body.url, {
        allowPrivate: options.checkAllowPrivate,
        extraParams: [options.clickIdParam],
        ...(expect ? { expectUtm: expect } : {}),
      });
    },
  );
}

function normalizedOf(prepared: { destination: string; utm: Record<string, string> }) {
  const utm = Object.fromEntries(
    Object.entries(prepared.utm)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => [k.slice(4), v]),
  );
  return { url: prepared.destination, utm };
}
