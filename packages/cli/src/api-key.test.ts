import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveApiKey } from './api-key.js';

const dir = () => mkdtempSync(join(tmpdir(), 'lt-key-'));

describe('resolveApiKey', () => {
  it('generates a key once, in a 0600 file inside a 0700 data dir, and reads it back after', () => {
    const dataDir = join(dir(), 'data');
    const first = resolveApiKey(null, dataDir);
    expect(first.generated).toBe(true);
    expect(first.key).toMatch(/^lt_[\w-]{32}$/);
    expect(statSync(first.file as string).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const again = resolveApiKey(null, dataDir);
    expect(again).toEqual({ key: first.key, file: first.file, generated: false });
  });

  it.each([
    ['empty', '', /the api key there is empty; it must be at least 16/],
    ['whitespace only', ' \n', /the api key there is empty/],
    ['short', 'short-key\n', /the api key there is 9 characters; it must be at least 16/],
  ])('refuses an %s key file instead of serving without a real key', (_name, content, message) => {
    const dataDir = dir();
    writeFileSync(join(dataDir, 'api-key'), content);
    expect(() => resolveApiKey(null, dataDir)).toThrow(message);
    try {
      resolveApiKey(null, dataDir);
    } catch (err) {
      expect((err as { code: string }).code).toBe('LT_CLI_API_KEY');
    }
    expect(readFileSync(join(dataDir, 'api-key'), 'utf8')).toBe(content);
  });

  it('prefers LINKTRACK_API_KEY and leaves the data dir alone', () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, 'api-key'), '');
    expect(resolveApiKey('from-env-0123456789', dataDir)).toEqual({
      key: 'from-env-0123456789',
      file: null,
      generated: false,
    });
  });
});
