import type { Signal } from '../input.js';
import { hasBrowserHeaders } from './missing-browser-headers.js';

/**
 * Hosting and cloud networks (data/scanner-networks.json). Privacy relays are
 * people: iCloud Private Relay and its peers exit through CDN networks, so a
 * CDN network counts only for a client without a browser's headers, and an
 * address the operator listed as a relay exit never counts.
 */
export const datacenterSignal: Signal = {
  name: 'datacenter',
  test: (input, { networks }) => {
    if (input.asn === 0 || networks.isRelayAddress(input.ip)) return false;
    if (networks.isRelayNetwork(input.asn)) return !(input.agent.browser && hasBrowserHeaders(input));
    return networks.isHosting(input.asn, input.asnOrg);
  },
};
