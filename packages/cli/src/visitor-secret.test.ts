import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVisitorSecret } from './visitor-secret.js';

describe('visitor-hash secret', () => {
  it('is the configured one when set, else one generated once and kept private in the data dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-secret-'));
    expect(resolveVisitorSecret('a-shared-secret-of-length', dir)).toBe('a-shared-secret-of-length');
    const first = resolveVisitorSecret(null, dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(resolveVisitorSecret(null, dir)).toBe(first);
    const file = join(dir, 'visitor-salt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
