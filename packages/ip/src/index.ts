export { ipNetwork, ipPrefix, unmapIpv4 } from './ip-prefix.js';
