import { AnalystSqlError, type AnalystSqlErrorCode } from '../errors.js';
import type { AnalystLimits } from './limits.js';

/** Engine error type names (stable across versions, unlike message text) that mean something to analysts. */
const BY_TYPE: Record<string, { code: AnalystSqlErrorCode; limit?: (l: AnalystLimits) => string }> = {
  READONLY: { code: 'LT_SQL_READONLY' },
  ACCESS_DENIED: { code: 'LT_SQL_READONLY' },
  TIMEOUT_EXCEEDED: {
    code: 'LT_SQL_LIMIT_TIME',
    limit: (l) => `max_execution_time=${l.maxExecutionSeconds}s`,
  },
  MEMORY_LIMIT_EXCEEDED: {
    code: 'LT_SQL_LIMIT_MEMORY',
    limit: (l) => `max_memory_usage=${l.maxMemoryBytes}`,
  },
  TOO_MANY_ROWS_OR_BYTES: {
    code: 'LT_SQL_LIMIT_RESULT',
    limit: (l) => `max_result_rows=${l.maxResultRows}, max_result_bytes=${l.maxResultBytes}`,
  },
  QUERY_WAS_CANCELLED: { code: 'LT_SQL_CANCELLED' },
};

/**
 * A nested engine exception ("Code: 241. DB::Exception: Code: 241. ...") can
 * reach us without its trailing type name; the numeric code names it then.
 */
const TYPE_OF_CODE: Record<string, string> = {
  '159': 'TIMEOUT_EXCEEDED',
  '164': 'READONLY',
  '241': 'MEMORY_LIMIT_EXCEEDED',
  '394': 'QUERY_WAS_CANCELLED',
  '396': 'TOO_MANY_ROWS_OR_BYTES',
  '497': 'ACCESS_DENIED',
};

interface EngineError {
  code?: string;
  type?: string;
  message?: string;
}

/** An engine error as analysts see it: a stable code, the engine's code, a message without paths. */
export function toAnalystError(err: unknown, limits: AnalystLimits): AnalystSqlError {
  if (err instanceof AnalystSqlError) return err;
  const e = (err ?? {}) as EngineError;
  const message = sanitizeEngineMessage(e.message ?? String(err));
  const type = e.type ?? (e.code ? TYPE_OF_CODE[e.code] : undefined);
  const known = type ? BY_TYPE[type] : undefined;
  if (known) {
    const limit = known.limit?.(limits);
    return new AnalystSqlError(known.code, limit ? `${message} (limit: ${limit})` : message, {
      clickhouseCode: e.code,
      limit,
      cause: err,
    });
  }
  if (e.code !== undefined && /^\d+$/.test(e.code)) {
    return new AnalystSqlError('LT_SQL_ERROR', message, { clickhouseCode: e.code, cause: err });
  }
  if ((err as Error)?.name === 'ChdbAbortError' || (err as Error)?.name === 'AbortError') {
    return new AnalystSqlError('LT_SQL_CANCELLED', 'the query was cancelled', { cause: err });
  }
  throw err;
}

/**
 * The first line of an engine message, without the "Code: N. DB::Exception:"
 * wrapping, the version suffix, or file-system paths (they describe the
 * server, not the query).
 */
export function sanitizeEngineMessage(raw: string): string {
  let m = raw.split('\n')[0] ?? '';
  m = m.replace(/(?:Code: \d+\. )?DB::Exception: /g, '');
  m = m.replace(/\s*\(version [^)]*\)/g, '');
  m = m.replace(/\s*\([A-Z][A-Z0-9_]{2,}\)\.?$/, '');
  // Absolute paths become <path>; a path starts after a delimiter (so "a/b" in a query stays).
  m = m.replace(/(?<=^|[\s'"`(=,:])\/[^\s'"`),;]+/g, '<path>');
  m = m.trim();
  return m.length > 500 ? `${m.slice(0, 500)}…` : m;
}
