import { randomUUID } from 'node:crypto';

/**
 * Consumer groups, by what reads. Offsets live under these names (plus the
 * topic prefix), so renaming one makes its reader start over.
 */
export const GROUPS = {
  enricher: 'enricher',
  sinkClicks: 'sink',
  sinkLinks: 'sink-links',
  sinkDeadLetters: 'sink-dlq',
  sinkConfirmations: 'sink-confirmations',
  sinkConversions: 'sink-conversions',
  // Per-instance readers of a registry: see instanceGroup.
  redirectLinks: 'redirect',
  apiLinks: 'api',
  sinkCaps: 'sink-caps',
  schemas: 'schemas',
  redirectSchemas: 'redirect-schemas',
} as const;

/**
 * A group of this instance's own: every instance needs the whole registry
 * (links, writer schemas), and such readers commit nothing.
 */
export function instanceGroup(group: string): string {
  return `${group}-${randomUUID()}`;
}

/** The ClickHouse tables streams land in. */
export const TABLES = {
  clicks: 'linktrack.clicks',
  links: 'linktrack.links',
  deadLetters: 'linktrack.dead_letters',
  clickConfirmations: 'linktrack.click_confirmations',
  conversions: 'linktrack.conversions',
} as const;
