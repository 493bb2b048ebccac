import { getProviderApi, type HttpModelProvider, httpTaskErrorsOf } from '@stepwise/core';

/**
 * How a compiled machine reaches one provider through Step Functions' HTTP Task: the EventBridge connection that
 * holds its API key, and the endpoint, when not the provider's own.
 *
 * @example
 * ```ts
 * const openai: ProviderConnection = {
 *   connectionArn: 'arn:aws:events:us-east-1:123456789012:connection/openai/4e0a2b34-0000-4000-8000-000000000001',
 * };
 * ```
 */
export interface ProviderConnection {
  /**
   * The EventBridge connection (API key authorization: `Authorization: Bearer <key>` for OpenAI and compatible
   * endpoints, `x-api-key: <key>` for Anthropic).
   */
  connectionArn: string;
  /**
   * The full URL the HTTP Task posts to. Default: `https://api.openai.com/v1/chat/completions` (openai),
   * `https://api.anthropic.com/v1/messages` (anthropic); required for `compatible` (a gateway's
   * `https://.../v1/chat/completions`).
   */
  endpoint?: string;
}

/**
 * The connection of each provider a chain's models name (`openai:...`, `anthropic:...`, `compatible:...`).
 *
 * @example
 * ```ts
 * const providers: ProviderConnections = {
 *   openai: { connectionArn: openaiConnectionArn },
 *   compatible: { connectionArn: gatewayConnectionArn, endpoint: 'https://gateway.example.com/v1/chat/completions' },
 * };
 * ```
 */
export type ProviderConnections = { [P in HttpModelProvider]?: ProviderConnection };

/**
 * What an `invoke` on a provider model compiles against: the endpoint, the connection, and whether either is a
 * placeholder because the options left it out (then `compileChain` warns `connection-missing`).
 * @internal
 */
export interface ResolvedConnection {
  endpoint: string;
  connectionArn: string;
  missing: Array<'connectionArn' | 'endpoint'>;
}

/**
 * Resolves a provider's connection; a missing piece becomes a placeholder that cannot be called (an ARN of account
 * 000000000000, an endpoint under the reserved `.invalid` domain), so that every chain compiles and nothing calls an
 * API by accident. `deployChain` refuses such a definition.
 * @internal
 */
export function resolveConnection(
  provider: HttpModelProvider,
  connections: ProviderConnections | undefined,
): ResolvedConnection {
  const configured = connections?.[provider];
  const missing: ResolvedConnection['missing'] = [];
  let connectionArn = configured?.connectionArn;
  if (connectionArn === undefined || connectionArn === '') {
    missing.push('connectionArn');
    connectionArn = `arn:aws:events:us-east-1:000000000000:connection/stepwise-${provider}-not-configured/00000000-0000-0000-0000-000000000000`;
  }
  let endpoint = configured?.endpoint ?? getProviderApi(provider).defaultEndpoint;
  if (endpoint === undefined || endpoint === '') {
    missing.push('endpoint');
    endpoint = `https://${provider}.invalid/v1${getProviderApi(provider).path}`;
  }
  return { endpoint, connectionArn, missing };
}

/**
 * A policy's error names as the HTTP Task raises them: every `Provider.*` name brings the `States.Http.*` names it
 * stands for (see core's `PROVIDER_ERRORS`), after the names as written; `States.ALL` stands alone, as ASL wants.
 * @internal
 */
export function errorEquals(errors: readonly string[]): string[] {
  if (errors.includes('States.ALL')) return ['States.ALL'];
  const out = [...errors];
  for (const error of errors) for (const http of httpTaskErrorsOf(error)) if (!out.includes(http)) out.push(http);
  return out;
}
