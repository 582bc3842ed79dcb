import { describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrames, FrameWriter, frameExtent, viewFrames } from './frames.js';

const m = (key: string | null, value: string) => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
});

describe('frames', () => {
  it('round-trips messages, copied or as views into the buffer', () => {
    const messages = [m('81.2.69.0/24', 'a'), m(null, ''), m('k', 'x'.repeat(5_000))];
    const frames = encodeFrames(messages);
    expect(decodeFrames(frames)).toEqual(messages);
    const views = viewFrames(frames);
    expect(views).toEqual(messages);
    expect(views[2]?.value.buffer).toBe(frames.buffer);
  });

  it('finds where whole frames end, within a count and a byte budget', () => {
    const frames = encodeFrames([m('a', '1'), m('b', '2'), m('c', '3')]);
    const one = frames.length / 3;
    expect(frameExtent(frames)).toEqual({ count: 3, bytes: frames.length });
    expect(frameExtent(frames, 2)).toEqual({ count: 2, bytes: 2 * one });
    expect(frameExtent(frames, Infinity, 2 * one + 3)).toEqual({ count: 2, bytes: 2 * one });
    expect(frameExtent(frames.subarray(0, frames.length - 1))).toEqual({ count: 2, bytes: 2 * one });
  });

  it('writes values in place, growing when a value does not fit', () => {
    const writer = new FrameWriter(16);
    const big = 'y'.repeat(10_000);
    writer.add('k1', (buf, at) =>
      at + 3 <= buf.length ? at + buf.write('abc', at) : -(at + 3 - buf.length),
    );
    writer.add(null, (buf, at) =>
      at + big.length <= buf.length ? at + buf.write(big, at) : -(at + big.length - buf.length),
    );
    expect(writer.count).toBe(2);
    const frames = writer.take();
    expect(decodeFrames(frames)).toEqual([m('k1', 'abc'), m(null, big)]);
    expect(writer.count).toBe(0);
    expect(writer.take().length).toBe(0);
  });
});
