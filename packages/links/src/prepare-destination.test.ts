import { describe, expect, it } from 'vitest';
import { LinkError } from './errors.js';
import { prepareDestination } from './prepare-destination.js';
import { parseTaxonomy } from './taxonomy/load-taxonomy.js';
import { DEFAULT_TAXONOMY, type Taxonomy } from './taxonomy/taxonomy.js';

const STRICT: Taxonomy = parseTaxonomy(
  {
    mode: 'strict',
    parameters: {
      source: {
        allowed: ['facebook', 'instagram', 'newsletter', 'google'],
        aliases: { fb: 'facebook', IG: 'instagram' },
      },
      medium: { allowed: ['email', 'social', 'cpc'] },
      campaign: { pattern: '^[a-z0-9_-]+$', max_length: 30 },
    },
  },
  'strict.json',
);
const WARN: Taxonomy = { ...STRICT, mode: 'warn' };
const policy = (
  taxonomy: Taxonomy,
  extra: Partial<{ ownDomains: string[]; allowPrivate: boolean }> = {},
) => ({
  taxonomy,
  ownDomains: extra.ownDomains ?? ['shop.example'],
  allowPrivate: extra.allowPrivate ?? false,
});
const codes = (problems: { code: string; param: string }[]) => problems.map((p) => `${p.code}:${p.param}`);

function refusal(fn: () => unknown): LinkError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LinkError) return err;
    throw err;
  }
  throw new Error('expected a LinkError');
}

describe('destination validation', () => {
  it.each([
    ['not a url', 'LT_LINK_BAD_URL'],
    ['/relative/path', 'LT_LINK_BAD_URL'],
    ['ftp://files.example/a', 'LT_LINK_BAD_SCHEME'],
    ['javascript:alert(1)', 'LT_LINK_BAD_SCHEME'],
    ['https://user:pw@a.example/', 'LT_LINK_CREDENTIALS'],
    ['https://user@a.example/', 'LT_LINK_CREDENTIALS'],
    ['http://127.0.0.1/admin', 'LT_LINK_PRIVATE_DESTINATION'],
    ['http://localhost:8080/', 'LT_LINK_PRIVATE_DESTINATION'],
    ['http://10.0.0.5/', 'LT_LINK_PRIVATE_DESTINATION'],
    ['http://[::1]/', 'LT_LINK_PRIVATE_DESTINATION'],
    ['http://169.254.169.254/latest/meta-data', 'LT_LINK_PRIVATE_DESTINATION'],
    ['http://[fe80::1]/', 'LT_LINK_PRIVATE_DESTINATION'],
    [`https://a.example/?q=${'x'.repeat(8_000)}`, 'LT_LINK_URL_TOO_LONG'],
  ])('%s → %s', (url, code) => {
    const err = refusal(() => prepareDestination(url, undefined, policy(DEFAULT_TAXONOMY)));
    expect([err.code, err.field]).toEqual([code, 'url']);
  });

  it('allows private targets when told to, but never cloud metadata', () => {
    const allowed = policy(DEFAULT_TAXONOMY, { allowPrivate: true });
    expect(prepareDestination('http://10.0.0.5/x', undefined, allowed).destination).toBe('http://10.0.0.5/x');
    expect(refusal(() => prepareDestination('http://169.254.169.254/', undefined, allowed)).code).toBe(
      'LT_LINK_PRIVATE_DESTINATION',
    );
  });

  it('turns an IDN host into punycode and keeps the query encoding', () => {
    const { destination } = prepareDestination(
      'https://münchen.example/p?q=a+b',
      undefined,
      policy(DEFAULT_TAXONOMY),
    );
    expect(destination).toBe('https://xn--mnchen-3ya.example/p?q=a+b');
  });
});

describe('taxonomy on create', () => {
  it('without a file: normalizes case and whitespace with warnings, rejects nothing', () => {
    const r = prepareDestination(
      'https://a.example/',
      { source: ' Instagram ', medium: 'Paid  Social', campaign: 'x' },
      policy(DEFAULT_TAXONOMY),
    );
    expect(r.utm).toMatchObject({ utm_source: 'instagram', utm_medium: 'paid_social' });
    expect(codes(r.problems)).toEqual([
      'normalized_whitespace:utm_source',
      'normalized_case:utm_source',
      'normalized_whitespace:utm_medium',
      'normalized_case:utm_medium',
    ]);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('without a file: a missing required parameter is only a warning', () => {
    const r = prepareDestination('https://a.example/', { source: 'x' }, policy(DEFAULT_TAXONOMY));
    expect(codes(r.problems)).toEqual(['missing_required:utm_medium', 'missing_required:utm_campaign']);
  });

  it('applies aliases case-insensitively', () => {
    const r = prepareDestination(
      'https://a.example/',
      { source: 'FB', medium: 'social', campaign: 'c1' },
      policy(STRICT),
    );
    expect(r.utm.utm_source).toBe('facebook');
    expect(codes(r.problems)).toEqual(['normalized_case:utm_source', 'alias_applied:utm_source']);
  });

  it('strict: a value outside the allowed list is a 400 naming the field, with every problem', () => {
    const err = refusal(() =>
      prepareDestination(
        'https://a.example/',
        { source: 'tiktok', medium: 'Email', campaign: 'c' },
        policy(STRICT),
      ),
    );
    expect([err.code, err.field]).toEqual(['LT_LINK_UTM_VIOLATION', 'utm.source']);
    expect(codes(err.problems as { code: string; param: string }[])).toEqual([
      'not_allowed:utm_source',
      'normalized_case:utm_medium',
    ]);
  });

  it('strict: pattern, length and required', () => {
    const err = refusal(() =>
      prepareDestination(
        'https://a.example/',
        { source: 'google', campaign: 'Spring Sale 2026 for everyone now!' },
        policy(STRICT),
      ),
    );
    expect(codes(err.problems as { code: string; param: string }[])).toEqual([
      'missing_required:utm_medium',
      'normalized_whitespace:utm_campaign',
      'normalized_case:utm_campaign',
      'not_allowed:utm_campaign',
      'too_long:utm_campaign',
    ]);
  });

  it('warn mode: the same link is created, normalized, with warnings', () => {
    const r = prepareDestination(
      'https://a.example/',
      { source: 'tiktok', medium: 'Email', campaign: 'c' },
      policy(WARN),
    );
    expect(r.utm).toMatchObject({ utm_source: 'tiktok', utm_medium: 'email' });
    expect(r.problems.map((p) => p.severity)).toEqual(['warning', 'warning']);
  });

  it('checks UTMs already on the URL, not only those given', () => {
    const err = refusal(() =>
      prepareDestination(
        'https://a.example/?utm_source=tiktok&utm_medium=cpc&utm_campaign=x',
        undefined,
        policy(STRICT),
      ),
    );
    expect(codes(err.problems as { code: string; param: string }[])).toEqual(['not_allowed:utm_source']);
  });

  it('says when the link overrides UTMs the URL already had', () => {
    const r = prepareDestination(
      'https://a.example/?utm_source=facebook&x=1',
      { source: 'google', medium: 'cpc', campaign: 'c' },
      policy(STRICT),
    );
    expect(r.destination).toBe('https://a.example/?utm_source=google&x=1&utm_medium=cpc&utm_campaign=c');
    expect(codes(r.problems)).toEqual(['destination_has_utm:utm_source']);
  });

  it('flags UTMs on links to your own domains (an error when strict)', () => {
    const utm = { source: 'newsletter', medium: 'email', campaign: 'c' };
    expect(codes(prepareDestination('https://www.shop.example/', utm, policy(WARN)).problems)).toEqual([
      'internal_link_utm:url',
    ]);
    expect(refusal(() => prepareDestination('https://shop.example/', utm, policy(STRICT))).code).toBe(
      'LT_LINK_UTM_VIOLATION',
    );
    // Strict taxonomies require UTMs on every link (unless a rule says required: false).
    const bare = refusal(() => prepareDestination('https://other.example/', undefined, policy(STRICT)));
    expect(codes(bare.problems as { code: string; param: string }[])).toEqual([
      'missing_required:utm_source',
      'missing_required:utm_medium',
      'missing_required:utm_campaign',
    ]);
  });

  it('warns when the destination with its UTMs passes 2,000 characters', () => {
    const r = prepareDestination(
      `https://a.example/?p=${'x'.repeat(1_990)}`,
      { source: 's', medium: 'm', campaign: 'c' },
      policy(DEFAULT_TAXONOMY),
    );
    expect(codes(r.problems)).toEqual(['url_too_long:url']);
  });
});
