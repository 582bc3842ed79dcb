/**
 * The api's error catalogue: stable codes clients can branch on, each with
 * its HTTP status. Responses carry `{ error: { code, message, field? } }`.
 */
export const API_ERRORS = {
  LT_API_UNAUTHORIZED: 401,
  LT_API_VALIDATION: 400,
  LT_API_SLUG_TAKEN: 409,
  LT_API_LINK_NOT_FOUND: 404,
  LT_API_INTERNAL: 500,
  LT_SQL_READONLY: 403,
  LT_SQL_ERROR: 400,
  LT_LINK_BAD_URL: 400,
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
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;
