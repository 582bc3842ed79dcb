export type BusErrorCode = 'LT_BUS_CLOSED' | 'LT_BUS_GROUP_TAKEN' | 'LT_BUS_UNAVAILABLE';

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
