import { readFileSync } from 'node:fs';
import { UTM_KEYS, type UtmKey } from '../utm.js';
import { defaultRule, type ParameterRule, type Taxonomy } from './taxonomy.js';

export interface TaxonomyProblem {
  /** Where in the file, e.g. `parameters.source.aliases.fb`; '' for the file itself. */
  path: string;
  reason: string;
}

/** A taxonomy file that cannot be used; lists every problem, each with its place in the file. */
export class TaxonomyError extends Error {
  readonly code = 'LT_LINK_BAD_TAXONOMY';
  constructor(
    readonly file: string,
    readonly problems: TaxonomyProblem[],
  ) {
    super(`${file}: ${problems.map((p) => (p.path ? `${p.path}: ${p.reason}` : p.reason)).join('; ')}`);
    this.name = 'TaxonomyError';
  }
}

const RULE_KEYS = new Set(['allowed', 'pattern', 'aliases', 'required', 'case', 'max_length']);

/** Reads and checks a taxonomy file; every problem is reported at once. */
export function loadTaxonomy(file: string): Taxonomy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TaxonomyError(file, [
      { path: '', reason: `cannot be read (${(err as NodeJS.ErrnoException).code})` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TaxonomyError(file, [{ path: '', reason: `is not JSON: ${(err as Error).message}` }]);
  }
  return parseTaxonomy(json, file);
}

export function parseTaxonomy(json: unknown, file: string): Taxonomy {
  const problems: TaxonomyProblem[] = [];
  const fail = (path: string, reason: string) => problems.push({ path, reason });
  if (!isObject(json)) throw new TaxonomyError(file, [{ path: '', reason: 'must be a JSON object' }]);
  for (const key of Object.keys(json)) {
    if (key !== 'mode' && key !== 'parameters' && key !== '$schema' && key !== 'description')
      fail(key, 'is not a taxonomy setting (use mode, parameters)');
  }
  const mode = json.mode ?? 'strict';
  if (mode !== 'strict' && mode !== 'warn')
    fail('mode', `must be "strict" or "warn", got ${JSON.stringify(mode)}`);
  const parameters = {} as Record<UtmKey, ParameterRule>;
  const given = json.parameters ?? {};
  if (!isObject(given))
    fail('parameters', 'must be an object keyed by source, medium, campaign, term, content');
  const givenRules = isObject(given) ? given : {};
  for (const key of Object.keys(givenRules)) {
    if (!(UTM_KEYS as readonly string[]).includes(key))
      fail(`parameters.${key}`, `is not a utm parameter (use ${UTM_KEYS.join(', ')})`);
  }
  for (const key of UTM_KEYS) {
    parameters[key] = parseRule(givenRules[key], `parameters.${key}`, key, fail);
  }
  if (problems.length > 0) throw new TaxonomyError(file, problems);
  return { mode: mode as 'strict' | 'warn', source: file, parameters };
}

function parseRule(
  raw: unknown,
  path: string,
  key: UtmKey,
  fail: (path: string, reason: string) => void,
): ParameterRule {
  const rule = defaultRule(key);
  if (raw === undefined) return rule;
  if (!isObject(raw)) {
    fail(path, 'must be an object');
    return rule;
  }
  for (const k of Object.keys(raw)) {
    if (!RULE_KEYS.has(k)) fail(`${path}.${k}`, `is not a rule (use ${[...RULE_KEYS].join(', ')})`);
  }
  if (raw.case !== undefined) {
    if (raw.case === 'lower' || raw.case === 'preserve') rule.case = raw.case;
    else fail(`${path}.case`, `must be "lower" or "preserve", got ${JSON.stringify(raw.case)}`);
  }
  if (raw.required !== undefined) {
    if (typeof raw.required === 'boolean') rule.required = raw.required;
    else fail(`${path}.required`, 'must be true or false');
  }
  if (raw.max_length !== undefined) {
    if (Number.isInteger(raw.max_length) && (raw.max_length as number) > 0)
      rule.maxLength = raw.max_length as number;
    else fail(`${path}.max_length`, 'must be a positive integer');
  }
  if (raw.pattern !== undefined) {
    if (typeof raw.pattern !== 'string') fail(`${path}.pattern`, 'must be a string');
    else {
      try {
        rule.pattern = new RegExp(raw.pattern, 'u');
      } catch (err) {
        fail(`${path}.pattern`, `is not a valid regular expression: ${(err as Error).message}`);
      }
    }
  }
  if (raw.allowed !== undefined) {
    if (!Array.isArray(raw.allowed)) fail(`${path}.allowed`, 'must be an array of strings');
    else
      raw.allowed.forEach((v, i) => {
        if (typeof v !== 'string' || v.trim() === '')
          fail(`${path}.allowed[${i}]`, 'must be a non-empty string');
        else rule.allowed.push(rule.case === 'lower' ? v.toLowerCase() : v);
      });
  }
  if (raw.aliases !== undefined) {
    if (!isObject(raw.aliases))
      fail(`${path}.aliases`, 'must be an object of "written form": "canonical value"');
    else
      for (const [from, to] of Object.entries(raw.aliases)) {
        if (typeof to !== 'string' || to.trim() === '')
          fail(`${path}.aliases.${from}`, 'must map to a non-empty string');
        else rule.aliases.set(from.trim().toLowerCase(), rule.case === 'lower' ? to.toLowerCase() : to);
      }
  }
  // An alias that leads outside the allowed list would make the rule contradict itself.
  if (rule.allowed.length > 0)
    for (const [from, to] of rule.aliases)
      if (!rule.allowed.includes(to))
        fail(`${path}.aliases.${from}`, `maps to "${to}", which is not in allowed`);
  return rule;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
