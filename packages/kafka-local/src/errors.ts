export type KafkaLocalErrorCode =
  | 'LT_KAFKA_LOCAL_JAVA_MISSING'
  | 'LT_KAFKA_LOCAL_MAVEN_MISSING'
  | 'LT_KAFKA_LOCAL_RESOLVE_FAILED'
  | 'LT_KAFKA_LOCAL_FORMAT_FAILED'
  | 'LT_KAFKA_LOCAL_START_FAILED';

/** Why the local broker could not start; the message says what to do about it. */
export class KafkaLocalError extends Error {
  readonly code: KafkaLocalErrorCode;
  constructor(code: KafkaLocalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaLocalError';
    this.code = code;
  }
}
