import { CliError } from './cli-error';
import { ExitCode } from './exit-code';

const AWS_SETUP =
  'Set AWS_REGION (for example us-east-1) and credentials: AWS_PROFILE (after `aws configure` or `aws sso login`), ' +
  'or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials).';

/**
 * Recognises a missing AWS region or credentials in an error from an AWS SDK client, and returns the message
 * that tells the user what to set; `undefined` for any other error.
 *
 * @example
 * ```ts
 * const hint = awsSetupHint(error); // 'AWS region is not set. Set AWS_REGION ...'
 * ```
 */
export function awsSetupHint(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (/region is missing|region.*not.*(set|configured)/i.test(message)) {
    return `AWS region is not set. ${AWS_SETUP}`;
  }
  if (
    name === 'CredentialsProviderError' ||
    /could not load credentials|credentials? (is|are) missing|no credentials|UnrecognizedClientException|security token included in the request is (invalid|expired)|ExpiredToken/i.test(
      message,
    )
  ) {
    return `AWS credentials are missing or invalid. ${AWS_SETUP}`;
  }
  return undefined;
}

/**
 * Rethrows an AWS SDK error as a {@link CliError}: exit code 3 with setup instructions when region or credentials are
 * missing, else exit code 1 with the service's message.
 *
 * @example
 * ```ts
 * try { await deployChain(chain, options); } catch (error) { throw toAwsCliError(error, 'Deploy failed'); }
 * ```
 */
export function toAwsCliError(error: unknown, doing: string): CliError {
  if (CliError.isInstance(error)) return error;
  const hint = awsSetupHint(error);
  if (hint) return new CliError(`${doing}: ${hint}`, ExitCode.environment, { cause: error });
  const name = (error as { name?: unknown } | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  const prefix = typeof name === 'string' && name !== 'Error' ? `${name}: ` : '';
  return new CliError(`${doing}: ${prefix}${message}`, ExitCode.failed, { cause: error });
}
