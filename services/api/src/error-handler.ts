import { LinkError } from '@linktrack/links';
import type { Logger } from '@linktrack/telemetry';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { fieldOf } from './field-of.js';

/** The one place errors become responses; nothing else shapes an error body. */
export function createErrorHandler(logger: Logger) {
  return (err: FastifyError | ApiError | LinkError, request: FastifyRequest, reply: FastifyReply) => {
    const api = toApiError(err);
    if (api.statusCode >= 500) {
      logger.error({ event: 'api_request_failed', url: request.url, err }, 'api request failed');
    }
    const body: Record<string, unknown> = { code: api.code, message: api.message };
    if (api.field) body.field = api.field;
    if (api.details) Object.assign(body, api.details);
    return reply.code(api.statusCode).send({ error: body });
  };
}

function toApiError(err: FastifyError | ApiError | LinkError): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof LinkError) {
    // A taxonomy violation lists every problem, so a client can fix them all at once.
    const details = err.problems.length > 0 ? { problems: err.problems } : undefined;
    return new ApiError(err.code, `${err.field}: ${err.message}`, {
      field: err.field,
      ...(details ? { details } : {}),
    });
  }
  const fastifyErr = err as FastifyError;
  if (fastifyErr.validation) {
    const first = fastifyErr.validation[0];
    const field = fieldOf(first?.instancePath ?? '', first?.params as Record<string, unknown> | undefined);
    return new ApiError('LT_API_VALIDATION', `${field || 'body'}: ${first?.message ?? 'is invalid'}`, {
      field,
    });
  }
  if (fastifyErr.statusCode && fastifyErr.statusCode < 500) {
    return Object.assign(new ApiError('LT_API_VALIDATION', fastifyErr.message), {
      statusCode: fastifyErr.statusCode,
    });
  }
  return new ApiError('LT_API_INTERNAL', 'internal error');
}
