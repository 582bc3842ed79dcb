import { UTM_KEYS, type Utm, type UtmKey } from '../utm.js';
import type { Taxonomy } from './taxonomy.js';

export type UtmProblemCode =
  | 'missing_required'
  | 'not_allowed'
  | 'too_long'
  | 'normalized_case'
  | 'normalized_whitespace'
  | 'alias_applied'
  | 'internal_link_utm'
  | 'url_too_long'
  | 'destination_has_utm';

export interface UtmProblem {
  code: UtmProblemCode;
  /** The parameter concerned, e.g. `utm_source`; `url` for the URL as a whole. */
  param: string;
  message: string;
  /** Errors stop a create under a strict taxonomy; warnings never do. */
  severity: 'error' | 'warning';
}

/** Violations of the naming rules; everything else linktrack fixes or only points out. */
const VIOLATIONS = new Set<UtmProblemCode>([
  'missing_required',
  'not_allowed',
  'too_long',
  'internal_link_utm',
]);

export function severityOf(code: UtmProblemCode, taxonomy: Taxonomy): 'error' | 'warning' {
  return taxonomy.mode === 'strict' && VIOLATIONS.has(code) ? 'error' : 'warning';
}

/**
 * Normalizes each utm value and reports what it changed and what breaks the
 * rules, in this order: whitespace (trimmed, inner runs become `_`), case,
 * aliases, then allowed values or pattern, length, and required parameters.
 * A link with no UTMs at all is a plain short link: nothing is required of it
 * unless the taxonomy is strict.
 */
export function checkUtm(utm: Utm, taxonomy: Taxonomy): { utm: Utm; problems: UtmProblem[] } {
  const problems: UtmProblem[] = [];
  const add = (code: UtmProblemCode, key: string, message: string) =>
    problems.push({ code, param: key, message, severity: severityOf(code, taxonomy) });
  const out: Utm = {};
  const anyGiven = UTM_KEYS.some((k) => (utm[k] ?? '').trim() !== '');
  for (const key of UTM_KEYS) {
    const rule = taxonomy.parameters[key];
    const param = `utm_${key}`;
    const raw = utm[key];
    if (raw === undefined || raw.trim() === '') {
      if (rule.required && (anyGiven || taxonomy.mode === 'strict'))
        add('missing_required', param, `${param} is required`);
      continue;
    }
    let value = raw.trim().replace(/\s+/gu, '_');
    if (value !== raw) add('normalized_whitespace', param, `"${raw}" became "${value}"`);
    if (rule.case === 'lower' && value !== value.toLowerCase()) {
      add('normalized_case', param, `"${value}" became "${value.toLowerCase()}"`);
      value = value.toLowerCase();
    }
    const alias = rule.aliases.get(value.toLowerCase()) ?? rule.aliases.get(raw.trim().toLowerCase());
    if (alias !== undefined && alias !== value) {
      add('alias_applied', param, `"${value}" is an alias of "${alias}"`);
      value = alias;
    }
    if (rule.allowed.length > 0 && !rule.allowed.includes(value)) {
      add('not_allowed', param, `"${value}" is not one of ${rule.allowed.join(', ')}`);
    } else if (rule.pattern && !rule.pattern.test(value)) {
      add('not_allowed', param, `"${value}" does not match ${rule.pattern.source}`);
    }
    if (rule.maxLength !== null && value.length > rule.maxLength) {
      add('too_long', param, `"${value}" is ${value.length} characters; at most ${rule.maxLength}`);
    }
    out[key as UtmKey] = value;
  }
  return { utm: out, problems };
}
