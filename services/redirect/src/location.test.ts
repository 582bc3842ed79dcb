import { describe, expect, it } from 'vitest';
import { locationFor } from './location.js';

describe('locationFor', () => {
  it('returns the destination untouched when the short link had no query', () => {
    expect(locationFor('https://a.example/p?x=1#frag', '')).toBe('https://a.example/p?x=1#frag');
  });

  it('appends new parameters before the fragment and keeps existing ones', () => {
    expect(locationFor('https://a.example/p?x=1#frag', 'x=2&fbclid=F')).toBe(
      'https://a.example/p?x=1&fbclid=F#frag',
    );
  });
});
