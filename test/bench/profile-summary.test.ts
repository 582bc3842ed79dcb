import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { areaOf, busiestWindow, load, tally } from '../../scripts/bench/profile-summary.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

/** A profile in V8's format: root → handler (ours) → utf8Slice (native); plus idle and GC. */
function writeProfile(): string {
  const nodes = [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('(garbage collector)') },
    {
      id: 4,
      callFrame: frame('readString', 'file:///x/node_modules/avsc/lib/utils.js'),
      children: [5],
    },
    { id: 5, callFrame: frame('utf8Slice') },
  ];
  // 1 ms apart: 3 s idle, then 2 s of Avro (half in its native call), then 1 ms of GC.
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) samples.push(2);
  for (let i = 0; i < 2000; i++) samples.push(i % 2 === 0 ? 4 : 5);
  samples.push(3, 2);
  const dir = mkdtempSync(join(tmpdir(), 'lt-prof-'));
  const file = join(dir, 'CPU.20261204.120000.4242.0.001.cpuprofile');
  writeFileSync(
    file,
    JSON.stringify({ nodes, startTime: 0, endTime: 0, samples, timeDeltas: samples.map(() => 1000) }),
  );
  return file;
}

describe('profile-summary', () => {
  it('names areas from script URLs and native frame names', () => {
    expect(areaOf(frame('x', 'file:///w/node_modules/fastify/lib/reply.js'))).toBe('Fastify');
    expect(areaOf(frame('x', 'file:///w/node_modules/kafkajs/src/index.js'))).toBe('kafkajs');
    expect(areaOf(frame('run', 'file:///w/services/enricher/src/steps/enrich-step.ts'))).toBe(
      'ours: services/enricher',
    );
    expect(areaOf(frame('parserOnIncoming', 'node:_http_server'))).toBe(
      'Node HTTP (parser, server, response)',
    );
    expect(areaOf(frame('writeLatin1String'))).toBe('Node sockets');
    expect(areaOf(frame('writeEnrichedClick'))).toBe('Avro (avsc)');
    expect(areaOf(frame('(garbage collector)'))).toBe('GC');
  });

  it('reads pid and thread from the file name and totals self time by area and function', () => {
    const thread = load(writeProfile());
    expect(thread.pid).toBe('4242');
    expect(thread.thread).toBe('0');
    const totals = tally(thread.samples);
    expect(totals.idle / 1000).toBeCloseTo(3001, 0);
    expect((totals.byArea.get('Avro (avsc)') ?? 0) / 1000).toBeCloseTo(1000, 0);
    expect((totals.byArea.get('Node streams/buffers') ?? 0) / 1000).toBeCloseTo(1000, 0);
    expect((totals.byArea.get('GC') ?? 0) / 1000).toBeCloseTo(1, 0);
  });

  it('with buffersToCaller, charges Buffer work to the area that called it', () => {
    const totals = tally(load(writeProfile(), true).samples);
    expect((totals.byArea.get('Avro (avsc)') ?? 0) / 1000).toBeCloseTo(2000, 0);
    // The native call is still listed as itself, now in its caller's area.
    expect(totals.byFunction.get('utf8Slice native')).toEqual({ us: 1_000_000, area: 'Avro (avsc)' });
  });

  it('finds the busiest window, leaving the idle start out', () => {
    const thread = load(writeProfile(), true);
    const [from, to] = busiestWindow([thread], 2);
    const inWindow = tally(thread.samples.filter((s) => s.t >= from && s.t < to));
    expect(inWindow.idle).toBe(0);
    expect((inWindow.byArea.get('Avro (avsc)') ?? 0) / 1000).toBeGreaterThanOrEqual(1999);
  });
});
