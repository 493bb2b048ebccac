/**
 * Region, endpoint and credentials for the AWS SDK clients a command makes.
 *
 * @example
 * ```ts
 * const config: AwsClientConfig = { region: 'us-east-1', endpoint: 'http://127.0.0.1:4010' };
 * ```
 */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The AWS SDK client settings of a command: `--region` or the environment's region; with `STEPWISE_SFN_ENDPOINT`
 * (the emulator), that endpoint, and placeholder region and credentials when none are set (the emulator checks
 * neither), so the emulator works on a machine without any AWS setup.
 *
 * @example
 * ```ts
 * const client = new SFNClient(awsClientConfig(process.env, values.region));
 * ```
 */
export function awsClientConfig(env: NodeJS.ProcessEnv, region?: string): AwsClientConfig {
  const endpoint = env.STEPWISE_SFN_ENDPOINT;
  const resolvedRegion = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const config: AwsClientConfig = {};
  if (resolvedRegion) config.region = resolvedRegion;
  if (endpoint) {
    config.endpoint = endpoint;
    config.region ??= 'us-east-1';
    const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
    if (!hasCredentials)
      config.credentials = { accessKeyId: 'stepwise-emulator', secretAccessKey: 'stepwise-emulator' };
  }
  return config;
}
