export { type AddressClass, addressClass } from './address-class.js';
export { ipNetwork, ipPrefix, unmapIpv4 } from './ip-prefix.js';
