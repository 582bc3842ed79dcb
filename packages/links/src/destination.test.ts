import { describe, expect, it } from 'vitest';
import { buildDestination, generateSlug, LinkError, readUtm, validateSlug } from './index.js';

describe('buildDestination', () => {
  it('adds the UTM parameters and keeps the rest of the URL intact', () => {
    const result = buildDestination('https://shop.example/spring?ref=1#top', {
      source: 'newsletter',
      medium: 'email',
      campaign: 'spring sale',
    });
    expect(result.destination).toBe(
      'https://shop.example/spring?ref=1&utm_source=newsletter&utm_medium=email&utm_campaign=spring+sale#top',
    );
    expect(result.utm.utm_campaign).toBe('spring sale');
    expect(result.warnings).toEqual([]);
  });

  it('warns when it replaces a UTM the URL already had', () => {
    const result = buildDestination('https://a.example/?utm_source=fb', { source: 'facebook' });
    expect(result.destination).toBe('https://a.example/?utm_source=facebook');
    expect(result.warnings).toEqual(['url already had utm_source="fb"; replaced with "facebook"']);
  });

  it('rejects URLs that are not absolute http(s), naming the field', () => {
    for (const url of ['shop.example/page', 'javascript:alert(1)', 'ftp://x.example/']) {
      expect(() => buildDestination(url, undefined)).toThrow(LinkError);
    }
    try {
      buildDestination('javascript:alert(1)', undefined);
    } catch (err) {
      expect(err).toMatchObject({ code: 'LT_LINK_BAD_URL', field: 'url' });
    }
  });

  it('rejects an empty UTM value, naming it', () => {
    expect(() => buildDestination('https://a.example/', { medium: ' ' })).toThrow(
      expect.objectContaining({ field: 'utm.medium' }),
    );
  });
});

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
