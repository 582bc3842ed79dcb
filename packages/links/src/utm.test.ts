import { describe, expect, it } from 'vitest';
import { generateSlug, readUtm, validateSlug } from './index.js';

describe('readUtm', () => {
  it('returns empty strings for missing parameters and for unparsable URLs', () => {
    expect(readUtm('https://a.example/?utm_medium=cpc')).toEqual({
      utm_source: '',
      utm_medium: 'cpc',
      utm_campaign: '',
      utm_term: '',
      utm_content: '',
    });
    expect(readUtm('not a url').utm_source).toBe('');
  });
});

describe('slugs', () => {
  it('generates 7 characters without look-alike characters', () => {
    for (let i = 0; i < 200; i++) expect(generateSlug()).toMatch(/^[2-9a-km-zA-HJ-NP-Z]{7}$/);
  });

  it('rejects malformed and reserved slugs', () => {
    expect(() => validateSlug('spring-sale_2')).not.toThrow();
    expect(() => validateSlug('-lead')).toThrow(expect.objectContaining({ code: 'LT_LINK_BAD_SLUG' }));
    expect(() => validateSlug('a/b')).toThrow(expect.objectContaining({ code: 'LT_LINK_BAD_SLUG' }));
    expect(() => validateSlug('healthz')).toThrow(expect.objectContaining({ code: 'LT_LINK_RESERVED_SLUG' }));
  });
});
