import type { Signal } from '../input.js';

/**
 * The networks of email security scanners (data/scanner-networks.json):
 * they open every link of every mail they check, often with browser-like user
 * agents. An address the operator listed as a privacy relay exit is a person.
 */
export const scannerNetworkSignal: Signal = {
  name: 'scanner_network',
  test: (input, { networks }) =>
    !networks.isRelayAddress(input.ip) && networks.scannerOf(input.ip, input.asn) !== '',
};
