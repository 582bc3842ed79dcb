import { BOT_SIGNALS } from '@linktrack/streams';
import { UA } from '@linktrack/test-support';
import { describe, expect, it } from 'vitest';
import { createClassifier, judge, SIGNALS } from './classifier.js';
import { signalInput, testContext } from './testing.js';

describe('classifier', () => {
  it('has one module per signal of the contract, in the documented priority', () => {
    expect(SIGNALS.map((s) => s.name)).toEqual([...BOT_SIGNALS]);
  });

  it('records every signal that fired, and names the strongest as the reason', () => {
    const classifier = createClassifier(testContext);
    // A HEAD check from curl: both recorded, the request kind is the reason.
    expect(
      classifier.classify(
        signalInput({ method: 'HEAD', userAgent: UA.curl, acceptLanguage: '', headers: {} }),
      ),
    ).toEqual({
      signals: ['head_request', 'ua_bot'],
      reason: 'head_request',
      isBot: true,
    });
    // A Proofpoint sandbox with a browser's user agent and HEAD.
    expect(
      classifier.classify(signalInput({ method: 'HEAD', ip: '148.163.128.10', asn: 26211 })),
    ).toMatchObject({
      signals: ['scanner_network', 'head_request'],
      reason: 'scanner_network',
    });
    expect(classifier.classify(signalInput())).toEqual({ signals: [], reason: '', isBot: false });
  });

  it('turns signals off by name, and carries the network lists version in its own', () => {
    const classifier = createClassifier(testContext, ['head_request', 'ua_bot']);
    expect(classifier.signals).not.toContain('head_request');
    expect(classifier.classify(signalInput({ method: 'HEAD', userAgent: UA.curl }))).toMatchObject({
      isBot: false,
    });
    expect(classifier.version).toBe(1000 + testContext.networks.version);
  });

  it('judges a set of signals again, in rank order', () => {
    expect(judge(['datacenter', 'burst', 'missing_browser_headers'])).toEqual({
      signals: ['burst', 'datacenter', 'missing_browser_headers'],
      reason: 'burst',
      isBot: true,
    });
    expect(judge(['missing_browser_headers'])).toMatchObject({ reason: '', isBot: false });
  });
});
