import { linkEvent } from '@linktrack/test-support';
import { describe, expect, it } from 'vitest';
import { requestedPath, visitTypeOf } from './visit-type.js';

describe('visitTypeOf', () => {
  it('tells a redirect from a disabled, expired or used-up link, an unknown slug and a path that cannot be a slug', () => {
    const now = 1_000;
    expect(visitTypeOf('spring', linkEvent('spring', 'https://a.example/'), now)).toBe('redirect');
    expect(visitTypeOf('old', linkEvent('old', 'https://a.example/', { status: 'disabled' }), now)).toBe(
      'disabled',
    );
    expect(visitTypeOf('e', linkEvent('e', 'https://a.example/', { expires_at: now }), now)).toBe('expired');
    expect(visitTypeOf('e', linkEvent('e', 'https://a.example/', { expires_at: now + 1 }), now)).toBe(
      'redirect',
    );
    expect(visitTypeOf('x', linkEvent('x', 'https://a.example/', { exhausted_at: 5 }), now)).toBe(
      'exhausted',
    );
    expect(visitTypeOf('nope', undefined, now)).toBe('unknown_slug');
    expect(visitTypeOf('favicon.ico', undefined, now)).toBe('invalid_path');
    expect(visitTypeOf('-x', undefined, now)).toBe('invalid_path');
  });

  it('records the path without its slash and query, at most 256 characters', () => {
    expect(requestedPath('/wp-login.php?x=1')).toBe('wp-login.php');
    expect(requestedPath('/a/b')).toBe('a/b');
    expect(requestedPath(`/${'x'.repeat(300)}`)).toHaveLength(256);
  });
});
