import { describe, expect, it } from 'vitest';
import { createBurstDetector } from './burst.js';

describe('burst detector', () => {
  it('flags 3 different slugs within 2 s, and every click of the burst', () => {
    const d = createBurstDetector<string>();
    expect(d.observe('c', 'a', 0, 'c1')).toBeNull();
    expect(d.observe('c', 'b', 500, 'c2')).toBeNull();
    expect(d.observe('c', 'c', 1_900, 'c3')).toEqual(['c1', 'c2', 'c3']);
    // Still bursting: the next click joins it.
    expect(d.observe('c', 'd', 2_100, 'c4')).toEqual(['c2', 'c3', 'c4']);
  });

  it('lets 3 different slugs spread over more than 2 s pass', () => {
    const d = createBurstDetector<string>();
    d.observe('c', 'a', 0, 'x');
    d.observe('c', 'b', 1_500, 'x');
    expect(d.observe('c', 'c', 3_000, 'x')).toBeNull();
  });

  it('flags the same slug more than 5 times within 10 s, not 5', () => {
    const d = createBurstDetector<number>();
    for (let i = 0; i < 5; i++) expect(d.observe('c', 'a', i * 1_000, i)).toBeNull();
    expect(d.observe('c', 'a', 9_000, 5)).toEqual([0, 1, 2, 3, 4, 5]);
    const slow = createBurstDetector<number>();
    for (let i = 0; i < 8; i++) expect(slow.observe('c', 'a', i * 2_500, i)).toBeNull();
  });

  it('keeps clients apart: one user agent per client, many people behind one network', () => {
    const d = createBurstDetector<string>();
    expect(d.observe('ip1|ua', 'a', 0, 'x')).toBeNull();
    expect(d.observe('ip2|ua', 'b', 10, 'x')).toBeNull();
    expect(d.observe('ip3|ua', 'c', 20, 'x')).toBeNull();
  });

  it('holds a bounded number of clients, and forgets refs once released', () => {
    const d = createBurstDetector<string>({ maxClients: 2 });
    d.observe('a', 's1', 0, 'a1');
    d.observe('b', 's1', 0, 'b1');
    d.observe('c', 's1', 0, 'c1');
    expect(d.clients).toBe(2);
    d.releaseRefs();
    d.observe('c', 's2', 100, 'c2');
    expect(d.observe('c', 's3', 200, 'c3')).toEqual(['c2', 'c3']);
  });
});

describe('burst detector memory', () => {
  it('forgets clients not seen for longer than the longest window', () => {
    const d = createBurstDetector<number>();
    for (let i = 0; i < 100; i++) d.observe(`c${i}`, 'a', i * 10, i);
    expect(d.clients).toBe(100);
    d.observe('late', 'a', 25_000, 0);
    d.observe('later', 'a', 36_000, 0);
    expect(d.clients).toBe(2);
  });
});
