import { timestamp } from '../fields.js';

/** DeadLetter: a message a stage could not process, with the original bytes kept for replay. */
export const deadLetterV1 = {
  type: 'record',
  name: 'DeadLetter',
  namespace: 'io.linktrack',
  fields: [
    { name: 'ts', type: timestamp },
    { name: 'stage', type: 'string', doc: 'the service and step that gave up, e.g. enricher.decode' },
    { name: 'reason', type: 'string', doc: 'a stable snake_case reason, e.g. undecodable or geo_failed' },
    { name: 'error', type: 'string' },
    { name: 'source_topic', type: 'string' },
    { name: 'source_partition', type: 'int' },
    { name: 'source_offset', type: 'string' },
    { name: 'payload', type: 'bytes' },
  ],
} as const;
