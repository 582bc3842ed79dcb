export { clickRow, deadLetterRow, linkRow } from './rows.js';
export { type Sink, type SinkDeps, startSink } from './sink.js';
