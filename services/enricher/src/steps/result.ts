/**
 * What a pipeline step returns. Bad data never throws: it is dropped (counted,
 * expected, e.g. a filtered event) or sent to the dead-letter queue (kept for a
 * human, with the error).
 */
export type StepResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'drop'; reason: string }
  | { kind: 'dlq'; reason: string; error: Error };

export const ok = <T>(value: T): StepResult<T> => ({ kind: 'ok', value });
export const drop = <T>(reason: string): StepResult<T> => ({ kind: 'drop', reason });
export const dlq = <T>(reason: string, error: unknown): StepResult<T> => ({
  kind: 'dlq',
  reason,
  error: error instanceof Error ? error : new Error(String(error)),
});
