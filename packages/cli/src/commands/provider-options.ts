import { MODEL_PROVIDERS } from '@stepwise/core';
import type { ProviderConnections } from '@stepwise/runtime-sfn';
import { CliError } from '../cli-error';
import { parseHandlerOptions } from './compile-command';

const CONNECTION_ARN = /^arn:aws[\w-]*:events:[^:]+:\d{12}:connection\/[^/]+\/.+$/;

/**
 * Reads `--connection <provider>=<arn>` and `--endpoint <provider>=<url>` options into the provider connections of
 * `compileChain`, `policyFor` and `deployChain`: the EventBridge connection that holds each provider's API key, and
 * the endpoint of a `compatible` provider (or another than the provider's own).
 *
 * @example
 * ```ts
 * parseProviderOptions(['openai=arn:aws:events:us-east-1:123456789012:connection/openai/4e0a'], [], usage);
 * // { openai: { connectionArn: 'arn:aws:events:...' } }
 * ```
 */
export function parseProviderOptions(
  connections: string[] | undefined,
  endpoints: string[] | undefined,
  usage: string,
): ProviderConnections {
  const out: ProviderConnections = {};
  const provider = (name: string, option: string): keyof ProviderConnections => {
    if (!(MODEL_PROVIDERS as readonly string[]).includes(name)) {
      throw new CliError(`${option} names the unknown provider "${name}"; known: ${MODEL_PROVIDERS.join(', ')}.`);
    }
    return name as keyof ProviderConnections;
  };
  for (const [name, arn] of Object.entries(parseHandlerOptions(connections, usage, '--connection'))) {
    if (!CONNECTION_ARN.test(arn)) {
      throw new CliError(
        `--connection ${name}=${arn}: not an EventBridge connection ARN (arn:aws:events:<region>:<account>:connection/<name>/<id>).`,
      );
    }
    out[provider(name, '--connection')] = { connectionArn: arn };
  }
  for (const [name, url] of Object.entries(parseHandlerOptions(endpoints, usage, '--endpoint'))) {
    if (!url.startsWith('https://'))
      throw new CliError(`--endpoint ${name}=${url}: an HTTP Task calls https URLs only.`);
    const key = provider(name, '--endpoint');
    out[key] = { connectionArn: out[key]?.connectionArn ?? '', endpoint: url };
  }
  return out;
}
