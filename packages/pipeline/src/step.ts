/**
 * A pipeline step: a name (for metrics and dead letters) and a pure function
 * of one event. Bad data never throws: it comes back as `dlq`, with a stable
 * snake_case reason and the error, and the event leaves the pipeline there.
 */
export interface Step<In, Out> {
  readonly name: string;
  run(input: In): StepResult<Out>;
  /**
   * Called once the step has run over a whole batch, before the next step
   * starts: for a step that keeps references into the batch (to revise
   * earlier events of it) and must let them go.
   */
  endBatch?(): void;
}

export type StepResult<T> = { kind: 'ok'; value: T } | { kind: 'dlq'; reason: string; error: Error };

export const ok = <T>(value: T): StepResult<T> => ({ kind: 'ok', value });

export const dlq = <T>(reason: string, error: unknown): StepResult<T> => ({
  kind: 'dlq',
  reason,
  error: error instanceof Error ? error : new Error(String(error)),
});
