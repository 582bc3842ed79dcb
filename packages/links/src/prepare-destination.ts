import { LinkError } from './errors.js';
import { applyUtm } from './location.js';
import { checkUtm, severityOf, type UtmProblem } from './taxonomy/check-utm.js';
import type { Taxonomy } from './taxonomy/taxonomy.js';
import { readUtm, UTM_KEYS, type Utm, type UtmKey } from './utm.js';
import { validateDestination } from './validate-destination.js';

/** Past this, a URL breaks in QR codes, some email clients and older browsers. */
export const URL_WARN_LENGTH = 2_000;

export interface DestinationPolicy {
  taxonomy: Taxonomy;
  /** The organisation's own domains: UTMs on links to them overwrite the visit's real source. */
  ownDomains: readonly string[];
  allowPrivate: boolean;
}

export interface PreparedDestination {
  /** The URL as given, validated and normalized (punycode host), before UTMs. */
  url: string;
  /** Where the redirect sends visitors: `url` with the link's UTMs. */
  destination: string;
  utm: Record<`utm_${UtmKey}`, string>;
  problems: UtmProblem[];
}

/**
 * Validates a destination and applies the taxonomy to its UTMs, whether they
 * come in `utm` or are already on the URL (`utm` wins). Under a strict
 * taxonomy a violation throws LT_LINK_UTM_VIOLATION with every problem;
 * otherwise the values are normalized and the problems come back as warnings.
 */
export function prepareDestination(
  url: string,
  utm: Utm | undefined,
  policy: DestinationPolicy,
): PreparedDestination {
  const normalizedUrl = validateDestination(url, { allowPrivate: policy.allowPrivate });
  const onUrl = readUtm(normalizedUrl);
  const effective: Utm = {};
  for (const key of UTM_KEYS) {
    const value = utm?.[key] ?? (onUrl[`utm_${key}`] || undefined);
    if (value !== undefined) effective[key] = value;
  }
  const checked = checkUtm(effective, policy.taxonomy);
  const problems = [...checked.problems];
  const wanted = Object.fromEntries(UTM_KEYS.map((k) => [`utm_${k}`, checked.utm[k] ?? '']));
  const { url: destination, replaced } = applyUtm(normalizedUrl, wanted);
  for (const r of replaced) {
    // Only an override of what the author put on the URL is worth saying; normalizing it was said already.
    const given = utm?.[r.param.slice(4) as UtmKey];
    if (given !== undefined && r.from !== '' && r.from !== given)
      problems.push({
        code: 'destination_has_utm',
        param: r.param,
        message: `the URL had ${r.param}="${r.from}"; the link sets "${r.to}"`,
        severity: 'warning',
      });
  }
  const host = new URL(normalizedUrl).hostname.toLowerCase();
  const hasUtm = Object.values(wanted).some((v) => v !== '');
  if (hasUtm && policy.ownDomains.some((d) => host === d || host.endsWith(`.${d}`))) {
    problems.push({
      code: 'internal_link_utm',
      param: 'url',
      message: `${host} is one of your own domains (LINKTRACK_OWN_DOMAINS): UTMs there overwrite the visit's real source`,
      severity: severityOf('internal_link_utm', policy.taxonomy),
    });
  }
  if (destination.length > URL_WARN_LENGTH) {
    problems.push({
      code: 'url_too_long',
      param: 'url',
      message: `the destination is ${destination.length} characters with its UTMs; over ${URL_WARN_LENGTH} it breaks in some clients`,
      severity: 'warning',
    });
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0] as UtmProblem;
    throw new LinkError(
      'LT_LINK_UTM_VIOLATION',
      first.param === 'url' ? 'url' : `utm.${first.param.slice(4)}`,
      errors.map((e) => e.message).join('; '),
      problems,
    );
  }
  return { url: normalizedUrl, destination, utm: readUtm(destination), problems };
}
