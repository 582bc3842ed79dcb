export { clickRow, deadLetterRow, linkRow } from './rows.js';
export { batchToken, type Sink, type SinkDeps, startSink } from './sink.js';
