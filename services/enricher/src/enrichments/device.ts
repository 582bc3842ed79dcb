import type { Enrichment } from './enrichment.js';

export const deviceEnrichment: Enrichment = {
  name: 'device',
  run: (click, ctx) => {
    const { device_type, os, browser } = ctx.userAgents.parse(click.user_agent);
    return { device_type, os, browser };
  },
};
