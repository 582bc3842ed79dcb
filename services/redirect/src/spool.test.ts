import { appendFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

const message = (i: number, size = 40) => ({
  key: Buffer.from(`81.2.${i % 7}.0/24`),
  value: Buffer.alloc(size, i % 251),
});

async function spoolWith(count: number, size = 40) {
  const path = join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool');
  const spool = new Spool(path);
  await spool.open();
  for (let i = 0; i < count; i += 100)
    await spool.append(Array.from({ length: Math.min(100, count - i) }, (_, j) => message(i + j, size)));
  return { spool, path };
}

describe('Spool', () => {
  it('reads back in order, a bounded batch at a time', async () => {
    const { spool } = await spoolWith(1_000);
    const firsts: number[] = [];
    let offset = 0;
    let total = 0;
    for (;;) {
      const { messages, next } = await spool.read(offset, 300);
      if (messages.length === 0) break;
      expect(messages.length).toBeLessThanOrEqual(300);
      firsts.push(messages[0]?.value[0] as number);
      total += messages.length;
      offset = next;
    }
    expect(total).toBe(1_000);
    expect(firsts).toEqual([0, 300 % 251, 600 % 251, 900 % 251]);
    expect(offset).toBe(spool.size);
  });

  it('reads frames larger than one read step', async () => {
    const { spool } = await spoolWith(3, 3 * 1024 * 1024);
    expect((await spool.readAll()).map((m) => m.value.length)).toEqual([3 << 20, 3 << 20, 3 << 20]);
  });

  it('keeps what was not replayed when a prefix is dropped, and survives a reopen', async () => {
    const { spool, path } = await spoolWith(500);
    const { next } = await spool.read(0, 200);
    await spool.dropPrefix(next);
    const reopened = new Spool(path);
    expect(await reopened.open()).toBe(statSync(path).size);
    const rest = await reopened.readAll();
    expect(rest).toHaveLength(300);
    expect(rest[0]?.value[0]).toBe(200);
    await reopened.dropPrefix(reopened.size);
    expect(reopened.size).toBe(0);
    expect(await reopened.readAll()).toEqual([]);
  });

  it('ignores a torn last frame (a crash mid-append)', async () => {
    const { spool, path } = await spoolWith(10);
    appendFileSync(path, Buffer.from([5, 0, 0, 0, 1, 2]));
    await spool.open();
    expect(await spool.readAll()).toHaveLength(10);
  });
});
