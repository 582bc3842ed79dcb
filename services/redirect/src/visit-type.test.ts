import { linkEvent } from '@linktrack/test-support';
import { describe, expect, it } from 'vitest';
import { requestedPath, visitTypeOf } from './visit-type.js';

describe('visitTypeOf', () => {
  it('tells a redirect from a disabled link, an unknown slug and a path that cannot be a slug', () => {
    expect(visitTypeOf('spring', linkEvent('spring', 'https://a.example/'))).toBe('redirect');
    expect(visitTypeOf('old', linkEvent('old', 'https://a.example/', { status: 'disabled' }))).toBe(
      'disabled',
    );
    expect(visitTypeOf('nope', undefined)).toBe('unknown_slug');
    expect(visitTypeOf('favicon.ico', undefined)).toBe('invalid_path');
    expect(visitTypeOf('-x', undefined)).toBe('invalid_path');
  });

  it('records the path without its slash and query, at most 256 characters', () => {
    expect(requestedPath('/wp-login.php?x=1')).toBe('wp-login.php');
    expect(requestedPath('/a/b')).toBe('a/b');
    expect(requestedPath(`/${'x'.repeat(300)}`)).toHaveLength(256);
  });
});
