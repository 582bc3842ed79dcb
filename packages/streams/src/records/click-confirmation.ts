import { timestamp, uuid } from '../fields.js';

/**
 * ClickConfirmation: a real browser showed the landing page of a click. The
 * first-party script sends it after a page view; a click with one counts as
 * confirmed human.
 */
export const clickConfirmationV1 = {
  type: 'record',
  name: 'ClickConfirmation',
  namespace: 'io.linktrack',
  fields: [
    { name: 'click_id', type: uuid, doc: 'the lt_cid the landing page was opened with' },
    { name: 'ts', type: timestamp, doc: 'when the confirmation arrived' },
    { name: 'source', type: 'string', doc: 'how it was confirmed: beacon (the first-party script)' },
  ],
} as const;
