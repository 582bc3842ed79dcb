export type CliErrorCode =
  | 'LT_CLI_USAGE'
  | 'LT_CLI_SERVICES'
  | 'LT_CLI_API_KEY'
  | 'LT_CLI_API_UNREACHABLE'
  | 'LT_CLI_INPUT';

/** A mistake in how linktrack was started; printed as one line, exit 1. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  constructor(code: CliErrorCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
