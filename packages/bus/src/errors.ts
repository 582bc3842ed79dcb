/**
 * LT_BUS_FULL: a bounded in-process topic holds as many messages as it may and
 * the publisher asked not to wait; it should keep its messages and try again.
 */
export type BusErrorCode = 'LT_BUS_CLOSED' | 'LT_BUS_GROUP_TAKEN' | 'LT_BUS_UNAVAILABLE' | 'LT_BUS_FULL';

const CODES: readonly BusErrorCode[] = [
  'LT_BUS_CLOSED',
  'LT_BUS_GROUP_TAKEN',
  'LT_BUS_UNAVAILABLE',
  'LT_BUS_FULL',
];

/** A code carried as text (across a thread), or LT_BUS_UNAVAILABLE for anything else. */
export function busErrorCode(code: unknown): BusErrorCode {
  return CODES.includes(code as BusErrorCode) ? (code as BusErrorCode) : 'LT_BUS_UNAVAILABLE';
}

/** Bus failures; `retriable` says whether trying the same call again may succeed. */
export class BusError extends Error {
  readonly code: BusErrorCode;
  readonly retriable: boolean;
  constructor(code: BusErrorCode, message: string, retriable = false, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusError';
    this.code = code;
    this.retriable = retriable;
  }
}
