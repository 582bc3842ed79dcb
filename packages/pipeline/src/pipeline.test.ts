import { createMetrics, type Metrics } from '@linktrack/telemetry';
import { describe, expect, it } from 'vitest';
import { createPipeline } from './pipeline.js';
import { dlq, ok, type Step } from './step.js';

const parse: Step<string, number> = {
  name: 'parse',
  run: (text) => (/^\d+$/.test(text) ? ok(Number(text)) : dlq('not_a_number', new Error(`"${text}"`))),
};
const halve: Step<number, number> = {
  name: 'halve',
  run: (n) => (n % 2 === 0 ? ok(n / 2) : dlq('odd', new Error(`${n} is odd`))),
};

async function counts(metrics: Metrics) {
  const { values } = await metrics.pipelineStepResults.get();
  return Object.fromEntries(
    values.map((v) => [
      `${v.labels.step}:${v.labels.result}${v.labels.reason ? `:${v.labels.reason}` : ''}`,
      v.value,
    ]),
  );
}

describe('pipeline runner', () => {
  it('runs the named steps in order, keeping each output beside its source', () => {
    const pipeline = createPipeline<string>('test', createMetrics()).pipe(parse).pipe(halve);
    expect(pipeline.steps).toEqual(['parse', 'halve']);
    const sources = [
      { id: 'a', text: '4' },
      { id: 'b', text: 'x' },
      { id: 'c', text: '3' },
      { id: 'd', text: '10' },
    ];
    const out = pipeline.run(sources, (s) => s.text);
    expect(out.sources.map((s) => s.id)).toEqual(['a', 'd']);
    expect(out.values).toEqual([2, 5]);
    expect(out.failed.map((f) => [f.source.id, f.step, f.reason, f.error.message])).toEqual([
      ['b', 'parse', 'not_a_number', '"x"'],
      ['c', 'halve', 'odd', '3 is odd'],
    ]);
  });

  it('counts results by step and reason, and times each step once per batch', async () => {
    const metrics = createMetrics();
    const pipeline = createPipeline<string>('test', metrics).pipe(parse).pipe(halve);
    pipeline.run(['2', '4', 'x', '5'], (s) => s);
    pipeline.run(['6'], (s) => s);
    expect(await counts(metrics)).toEqual({
      'parse:ok': 4,
      'parse:dlq:not_a_number': 1,
      'halve:ok': 3,
      'halve:dlq:odd': 1,
    });
    const { values } = await metrics.pipelineStepDuration.get();
    const observed = values.filter((v) => v.metricName === 'linktrack_pipeline_step_duration_seconds_count');
    expect(observed.map((v) => [v.labels.step, v.value])).toEqual([
      ['parse', 2],
      ['halve', 2],
    ]);
  });

  it('dead-letters the event of a step that throws, and carries on with the rest', () => {
    const explode: Step<number, number> = {
      name: 'explode',
      run: (n) => {
        if (n === 1) throw new TypeError('a bug');
        return ok(n);
      },
    };
    const out = createPipeline<string>('test', createMetrics())
      .pipe(parse)
      .pipe(explode)
      .run(['1', '2'], (s) => s);
    expect(out.values).toEqual([2]);
    expect(out.failed).toMatchObject([{ source: '1', step: 'explode', reason: 'unexpected_error' }]);
  });

  it('lets a step revise earlier events of the batch before the next step, and tells it when the batch is done', () => {
    // A step that doubles every event it has seen so far in the batch when it sees a 0.
    const seen: { n: number }[] = [];
    const calls: string[] = [];
    const revise: Step<number, { n: number }> = {
      name: 'revise',
      run: (n) => {
        const event = { n };
        seen.push(event);
        if (n === 0) for (const e of seen) e.n *= 2;
        return ok(event);
      },
      endBatch: () => {
        calls.push(`end after ${seen.length}`);
        seen.length = 0;
      },
    };
    const read: Step<{ n: number }, number> = { name: 'read', run: (e) => ok(e.n) };
    const pipeline = createPipeline<number>('test', createMetrics()).pipe(revise).pipe(read);
    expect(pipeline.run([1, 2, 0, 3], (n) => n).values).toEqual([2, 4, 0, 3]);
    expect(pipeline.run([5], (n) => n).values).toEqual([5]);
    expect(calls).toEqual(['end after 4', 'end after 1']);
  });
});
