import type { Metrics } from '@linktrack/telemetry';
import { dlq, type Step, type StepResult } from './step.js';

/** An event a step gave up on, with the source it came from (e.g. the bus message, for its dead letter). */
export interface Failure<S> {
  source: S;
  step: string;
  reason: string;
  error: Error;
}

export interface PipelineOutput<S, Out> {
  /** The events that passed every step: `values[i]` came from `sources[i]`. */
  sources: S[];
  values: Out[];
  failed: Failure<S>[];
}

export interface Pipeline<In, Out> {
  readonly name: string;
  readonly steps: readonly string[];
  /** A pipeline that runs `step` on what this one outputs. */
  pipe<Next>(step: Step<Out, Next>): Pipeline<In, Next>;
  /** Runs a batch through every step, one step at a time over the whole batch. */
  run<S>(sources: readonly S[], input: (source: S) => In): PipelineOutput<S, Out>;
}

interface Stage {
  step: Step<unknown, unknown>;
  duration: { observe(seconds: number): void };
  passed: { inc(count: number): void };
}

/**
 * Named steps run by one generic runner, like PostHog's ingestion pipeline:
 * `createPipeline('enricher', metrics).pipe(createDecodeStep(codec)).pipe(...)`.
 * Steps run over the whole batch in turn, so each is timed once per batch
 * (the enricher is CPU-bound; a clock read per event and step would show),
 * and results are counted per step with one increment per batch.
 */
export function createPipeline<In>(name: string, metrics: Metrics): Pipeline<In, In> {
  return build<In, In>(name, metrics, []);
}

function build<In, Out>(name: string, metrics: Metrics, stages: readonly Stage[]): Pipeline<In, Out> {
  return {
    name,
    steps: stages.map((s) => s.step.name),
    pipe<Next>(step: Step<Out, Next>): Pipeline<In, Next> {
      const labels = { pipeline: name, step: step.name };
      const stage: Stage = {
        step: step as Step<unknown, unknown>,
        duration: metrics.pipelineStepDuration.labels(labels),
        passed: metrics.pipelineStepResults.labels({ ...labels, result: 'ok', reason: '' }),
      };
      return build<In, Next>(name, metrics, [...stages, stage]);
    },
    run<S>(sources: readonly S[], input: (source: S) => In): PipelineOutput<S, Out> {
      const items = sources.slice();
      const values: unknown[] = items.map(input);
      const failed: Failure<S>[] = [];
      for (const { step, duration, passed } of stages) {
        if (items.length === 0) break;
        const started = performance.now();
        let kept = 0;
        for (let i = 0; i < values.length; i++) {
          const result = runStep(step, values[i]);
          if (result.kind === 'ok') {
            items[kept] = items[i] as S;
            values[kept++] = result.value;
            continue;
          }
          failed.push({ source: items[i] as S, step: step.name, reason: result.reason, error: result.error });
          metrics.pipelineStepResults.inc({
            pipeline: name,
            step: step.name,
            result: 'dlq',
            reason: result.reason,
          });
        }
        step.endBatch?.();
        items.length = kept;
        values.length = kept;
        duration.observe((performance.now() - started) / 1_000);
        if (kept > 0) passed.inc(kept);
      }
      return { sources: items, values: values as Out[], failed };
    },
  };
}

/** A step that throws anyway (a bug) dead-letters its event instead of failing the batch forever. */
function runStep(step: Step<unknown, unknown>, value: unknown): StepResult<unknown> {
  try {
    return step.run(value);
  } catch (err) {
    return dlq('unexpected_error', err);
  }
}
