import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileNetworkLists, readNetworkListsFile, readRelayRanges } from './networks.js';

describe('network lists', () => {
  it('read from the versioned data file, every entry with its source', () => {
    const file = readNetworkListsFile();
    expect(file.version).toBeGreaterThanOrEqual(1);
    for (const s of file.scanners) expect(s.asns.length + s.cidrs.length, s.name).toBeGreaterThan(0);
    const lists = compileNetworkLists(file);
    expect(lists.scannerOf('40.107.22.54', 8075)).toBe('microsoft_defender');
    expect(lists.scannerOf('1.2.3.4', 26211)).toBe('proofpoint');
    expect(lists.scannerOf('1.2.3.4', 7922)).toBe('');
    expect(lists.isHosting(16509, 'Amazon.com, Inc.')).toBe(true);
    expect(lists.isHosting(64_500, 'Some Dedicated Server Ltd')).toBe(true);
    expect(lists.isHosting(7922, 'Comcast Cable Communications, LLC')).toBe(false);
    // OVH's home broadband is people; its hosting network is not.
    expect(lists.isHosting(35540, 'OVH SAS')).toBe(false);
    expect(lists.isHosting(16276, 'OVH SAS')).toBe(true);
    expect(lists.isRelayNetwork(36183)).toBe(true);
    expect(lists.isRelayAddress('172.224.226.1')).toBe(false);
  });

  it("takes an operator's relay egress file (Apple's CSV layout), skipping what is not a range", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-relay-'));
    const path = join(dir, 'egress-ip-ranges.csv');
    writeFileSync(
      path,
      '172.224.226.0/27,GB,GB-EN,London,\n2a02:26f7:b3c0:4000::/64,GB,GB-EN,London,\n# comment\nnot a range\n',
    );
    const ranges = readRelayRanges([path]);
    expect(ranges?.size).toBe(2);
    const lists = compileNetworkLists(readNetworkListsFile(), ranges);
    expect(lists.isRelayAddress('172.224.226.31')).toBe(true);
    expect(lists.isRelayAddress('172.224.226.32')).toBe(false);
    expect(lists.isRelayAddress('2a02:26f7:b3c0:4000::9')).toBe(true);
    expect(readRelayRanges([])).toBeNull();
  });
});
