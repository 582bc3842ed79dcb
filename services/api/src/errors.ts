/**
 * The api's error catalogue: stable codes clients can branch on, each with
 * its HTTP status. Responses carry `{ error: { code, message, field? } }`.
 */
export const API_ERRORS = {
  LT_API_UNAUTHORIZED: 401,
  LT_API_VALIDATION: 400,
  LT_API_SLUG_TAKEN: 409,
  LT_API_LINK_NOT_FOUND: 404,
  LT_API_NOT_READY: 503,
  LT_API_NOT_FOUND: 404,
  LT_API_BAD_PATH: 400,
  LT_API_PATH_TOO_LONG: 414,
  LT_API_INTERNAL: 500,
  LT_SQL_READONLY: 403,
  LT_SQL_FORBIDDEN: 403,
  LT_SQL_MULTI_STATEMENT: 403,
  LT_SQL_FORMAT: 400,
  LT_SQL_LIMIT_TIME: 400,
  LT_SQL_LIMIT_MEMORY: 400,
  LT_SQL_LIMIT_RESULT: 400,
  LT_SQL_BUSY: 429,
  LT_SQL_CANCELLED: 499,
  LT_SQL_ERROR: 400,
  LT_ANALYTICS_BAD_TIME: 400,
  LT_ANALYTICS_BAD_RANGE: 400,
  LT_ANALYTICS_BAD_STEPS: 400,
  LT_ANALYTICS_BAD_WINDOW: 400,
  LT_ANALYTICS_BUSY: 429,
  LT_LINK_BAD_URL: 400,
  LT_LINK_BAD_SCHEME: 400,
  LT_LINK_NO_HOST: 400,
  LT_LINK_CREDENTIALS: 400,
  LT_LINK_PRIVATE_DESTINATION: 400,
  LT_LINK_URL_TOO_LONG: 400,
  LT_LINK_UTM_VIOLATION: 400,
  LT_LINK_BAD_SLUG: 400,
  LT_LINK_RESERVED_SLUG: 400,
  LT_LINK_BAD_UTM: 400,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(
    code: ApiErrorCode,
    message: string,
    extra: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = API_ERRORS[code];
    this.field = extra.field;
    this.details = extra.details;
  }
}

export const errorResponseSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: 'string' },
        clickhouse_code: { type: 'string' },
        limit: { type: 'string' },
        problems: { type: 'array', items: { type: 'object', additionalProperties: true } },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;
