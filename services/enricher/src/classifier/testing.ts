import { UA } from '@linktrack/test-support';
import { RangeSet } from '../net/range-set.js';
import { compileNetworkLists, readNetworkListsFile } from '../resources/networks.js';
import { agentFacts } from './agent.js';
import type { ClassifierContext, ClassifierInput } from './input.js';

/** Signal tests' context: the real network lists, and one relay range an operator added. */
export const testContext: ClassifierContext = {
  networks: compileNetworkLists(readNetworkListsFile(), RangeSet.of(['172.224.226.0/27'])),
};

/** A person's click from a desktop browser on a home network; override what the test is about. */
export function signalInput(over: Partial<ClassifierInput> = {}): ClassifierInput {
  const userAgent = over.userAgent ?? UA.chromeDesktop;
  return {
    method: 'GET',
    userAgent,
    agent: agentFacts(userAgent, userAgent.startsWith('Mozilla/5.0') ? 'Chrome' : ''),
    acceptLanguage: 'en-GB,en;q=0.9',
    headers: { 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' },
    referrerDomain: '',
    ip: '81.2.69.160',
    asn: 20712,
    asnOrg: 'Andrews & Arnold Ltd',
    honeypot: false,
    burst: false,
    ...over,
  };
}
