import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaxonomy, TaxonomyError } from './load-taxonomy.js';

const EXAMPLE = join(import.meta.dirname, '../../../../infra/taxonomy.example.json');

function write(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lt-tax-')), 'taxonomy.json');
  writeFileSync(file, content);
  return file;
}

function problemsOf(file: string): string[] {
  try {
    loadTaxonomy(file);
  } catch (err) {
    if (err instanceof TaxonomyError) return err.problems.map((p) => `${p.path}: ${p.reason}`);
    throw err;
  }
  return [];
}

describe('loadTaxonomy', () => {
  it('reads the example shipped in infra/', () => {
    const taxonomy = loadTaxonomy(EXAMPLE);
    expect(taxonomy.mode).toBe('strict');
    expect(taxonomy.parameters.source.aliases.get('fb')).toBe('facebook');
    expect(taxonomy.parameters.content.case).toBe('preserve');
    expect(taxonomy.parameters.term.required).toBe(false);
  });

  it('reports every problem of a bad file at once, each with its path', () => {
    const file = write(
      JSON.stringify({
        mode: 'loose',
        colour: 1,
        parameters: {
          source: { allowed: ['a', ''], aliases: { x: 'b' }, case: 'UPPER', max_length: -1 },
          campaign: { pattern: '([' },
          channel: {},
        },
      }),
    );
    expect(problemsOf(file)).toEqual([
      'colour: is not a taxonomy setting (use mode, parameters)',
      'mode: must be "strict" or "warn", got "loose"',
      'parameters.channel: is not a utm parameter (use source, medium, campaign, term, content)',
      'parameters.source.case: must be "lower" or "preserve", got "UPPER"',
      'parameters.source.max_length: must be a positive integer',
      'parameters.source.allowed[1]: must be a non-empty string',
      'parameters.source.aliases.x: maps to "b", which is not in allowed',
      expect.stringMatching(/^parameters\.campaign\.pattern: is not a valid regular expression/),
    ]);
  });

  it('names the file in its message, and says when it is not JSON or cannot be read', () => {
    const file = write('{ not json');
    expect(() => loadTaxonomy(file)).toThrow(new RegExp(`^${file}: is not JSON`));
    expect(() => loadTaxonomy('/nope/taxonomy.json')).toThrow('/nope/taxonomy.json: cannot be read (ENOENT)');
  });
});
