import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodeFrames, viewFrames } from '@linktrack/bus';
import { describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

const message = (i: number, size = 40) => ({
  key: Buffer.from(`81.2.${i % 7}.0/24`),
  value: Buffer.alloc(size, i % 251),
});

async function spoolWith(count: number, size = 40, maxBytes?: number) {
  const path = join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool');
  const spool = new Spool(path, maxBytes);
  await spool.open();
  for (let i = 0; i < count; i += 100)
    await spool.append(
      encodeFrames(Array.from({ length: Math.min(100, count - i) }, (_, j) => message(i + j, size))),
    );
  return { spool, path };
}

/** Replays everything, `limit` at a time, as the click buffer does; returns each batch's first byte. */
async function replay(spool: Spool, limit: number): Promise<{ firsts: number[]; total: number }> {
  const firsts: number[] = [];
  let total = 0;
  for (;;) {
    const { frames, count, next } = await spool.read(limit);
    if (count === 0) return { firsts, total };
    expect(count).toBeLessThanOrEqual(limit);
    firsts.push(viewFrames(frames)[0]?.value[0] as number);
    total += count;
    await spool.advance(next);
  }
}

describe('Spool', () => {
  it('replays in order, a bounded batch at a time, and deletes what it replayed', async () => {
    const { spool, path } = await spoolWith(1_000);
    expect(await replay(spool, 300)).toEqual({ total: 1_000, firsts: [0, 300 % 251, 600 % 251, 900 % 251] });
    expect(spool.size).toBe(0);
    expect(readdirSync(dirname(path))).toEqual([]);
  });

  it('reads frames larger than one read step, across segments', async () => {
    const { spool, path } = await spoolWith(0);
    for (let i = 0; i < 4; i++) await spool.append(encodeFrames([message(i, 3 * 1024 * 1024)]));
    expect((await spool.readAll()).map((m) => m.value.length)).toEqual([3 << 20, 3 << 20, 3 << 20, 3 << 20]);
    // 12 MB went to more than one segment file.
    expect(readdirSync(dirname(path)).length).toBeGreaterThan(1);
    expect((await replay(spool, 1)).total).toBe(4);
  });

  it('keeps what was not replayed, and resumes there after a reopen', async () => {
    const { spool, path } = await spoolWith(500);
    const { next } = await spool.read(200);
    await spool.advance(next);
    const reopened = new Spool(path);
    expect(await reopened.open()).toBe(spool.size);
    const rest = await reopened.readAll();
    expect(rest).toHaveLength(300);
    expect(rest[0]?.value[0]).toBe(200);
    expect((await replay(reopened, 1_000)).total).toBe(300);
    expect(reopened.size).toBe(0);
    expect(await reopened.readAll()).toEqual([]);
  });

  it('cuts off a torn last frame (a crash mid-append)', async () => {
    const { path } = await spoolWith(10);
    const [segment] = readdirSync(dirname(path));
    appendFileSync(join(dirname(path), segment as string), Buffer.from([5, 0, 0, 0, 1, 2]));
    const reopened = new Spool(path);
    await reopened.open();
    expect(await reopened.readAll()).toHaveLength(10);
    expect((await replay(reopened, 100)).total).toBe(10);
  });

  it('refuses what does not fit under its cap, keeping the frames that do', async () => {
    const frame = encodeFrames([message(0)]).length;
    const { spool } = await spoolWith(0, 40, frame * 150);
    expect(await spool.append(encodeFrames(Array.from({ length: 100 }, (_, i) => message(i))))).toBe(100);
    expect(await spool.append(encodeFrames(Array.from({ length: 100 }, (_, i) => message(i))))).toBe(50);
    expect(await spool.append(encodeFrames([message(1)]))).toBe(0);
    expect(await spool.readAll()).toHaveLength(150);
  });

  it('reads a single-file spool left by an earlier version', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool');
    appendFileSync(path, encodeFrames([message(1), message(2)]));
    const spool = new Spool(path);
    expect(await spool.open()).toBeGreaterThan(0);
    expect((await replay(spool, 10)).total).toBe(2);
    expect(readdirSync(dirname(path))).toEqual([]);
  });
});
