import type { Enrichment } from './enrichment.js';

/** Ad click ids, in the order they are looked for: Google, Meta, Microsoft, TikTok, LinkedIn. */
export const PAID_CLICK_IDS = ['gclid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id'] as const;

/** Which ad click id the short link request carried (its own query string), '' for none. */
export function paidClickIdType(query: string): string {
  if (query === '') return '';
  for (const name of PAID_CLICK_IDS) {
    const at = query.indexOf(`${name}=`);
    // A whole parameter name: at the start or after "&", and a value after "=".
    if (at >= 0 && (at === 0 || query.charCodeAt(at - 1) === 38) && at + name.length + 1 < query.length)
      return name;
  }
  return '';
}

export const paidClickIdEnrichment: Enrichment = {
  name: 'paid_click_id',
  run: (click) => ({ paid_click_id_type: paidClickIdType(click.query) }),
};
