import { AnalystSqlError } from '../errors.js';

/**
 * Hands out a fixed set of sessions, one query each at a time. A caller waits
 * its turn in order; past `maxQueued` waiting callers it is told "busy" at
 * once rather than piling up; a caller that gives up leaves the queue.
 */
export class SessionPool<S> {
  private readonly idle: S[];
  private readonly waiting: { resolve: (s: S) => void; reject: (e: Error) => void }[] = [];

  constructor(
    sessions: S[],
    private readonly maxQueued: number,
    /** What a caller past the queue is told; analyst SQL's own code by default. */
    private readonly busy: (maxQueued: number) => Error = analystBusy,
  ) {
    this.idle = [...sessions];
  }

  get queued(): number {
    return this.waiting.length;
  }

  acquire(signal?: AbortSignal): Promise<S> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const session = this.idle.pop();
    if (session !== undefined) return Promise.resolve(session);
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(this.busy(this.maxQueued));
    }
    return new Promise<S>((resolve, reject) => {
      const entry = {
        resolve: (s: S) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject,
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(entry);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  release(session: S): void {
    const next = this.waiting.shift();
    if (next) next.resolve(session);
    else this.idle.push(session);
  }
}

function analystBusy(maxQueued: number): AnalystSqlError {
  return new AnalystSqlError(
    'LT_SQL_BUSY',
    `too many analyst queries at once (${maxQueued} already waiting); retry shortly`,
  );
}

function cancelled(): AnalystSqlError {
  return new AnalystSqlError('LT_SQL_CANCELLED', 'the client went away before the query started');
}
