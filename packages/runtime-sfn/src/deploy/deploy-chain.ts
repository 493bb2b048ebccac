import type { DescribeStateMachineCommandOutput, LoggingConfiguration, SFNClient } from '@aws-sdk/client-sfn';
import { type Chain, StepwiseError } from '@stepwise/core';
import { compileChain } from '../compiler/compile-chain';
import type { CompileOptions, CompileWarning } from '../compiler/compile-options';
import type { ProviderConnections } from '../compiler/provider-connections';
import { mapSfnError } from '../runtime/map-aws-error';

/**
 * Execution logging of the state machine (CloudWatch Logs).
 *
 * @example
 * ```ts
 * const logging: DeployLogging = { level: 'ERROR', logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:stepwise:*' };
 * ```
 */
export interface DeployLogging {
  /** `OFF` (default), `ERROR`, `FATAL` or `ALL`. */
  level: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
  /** Log execution input and output too. Default false. */
  includeExecutionData?: boolean;
  /**
   * The log group, `arn:aws:logs:<region>:<account>:log-group:<name>:*` (the `:*` is added when missing); required
   * unless the level is `OFF`. Name it `/aws/vendedlogs/states/...`: CloudWatch Logs then keeps its resource policy
   * small (Step Functions guide, "Avoiding CloudWatch Logs resource policy size restrictions"). The role needs
   * `policyFor(chain, { logging: true })`.
   */
  logGroupArn?: string;
}

/**
 * Options of {@link deployChain}.
 *
 * @example
 * ```ts
 * const options: DeployChainOptions = { roleArn: 'arn:aws:iam::123456789012:role/stepwise', name: 'qa-prod', tracing: true };
 * ```
 */
export interface DeployChainOptions {
  /** The IAM role the state machine runs as (see `policyFor(chain)` for its least-privilege policy). */
  roleArn: string;
  /** State machine name. Default: the chain's name. */
  name?: string;
  /** Execution logging. Default: off. */
  logging?: DeployLogging;
  /** AWS X-Ray tracing. Default false. The role needs `policyFor(chain, { tracing: true })`. */
  tracing?: boolean;
  /** The Step Functions client. Default: `new SFNClient({})` (region and credentials from the environment). */
  client?: SFNClient;
  /** The ARN of the machine when known; saves listing the account's state machines to find it by name. */
  stateMachineArn?: string;
  /** Passed to `compileChain`. */
  compileOptions?: CompileOptions;
  /**
   * The EventBridge connection ARN (and endpoint) of each provider whose models the chain's `invoke` steps name
   * (`openai:gpt-4o-mini`), e.g. `{ openai: { connectionArn } }`; merged over `compileOptions.providers`. A chain
   * that calls a provider without one is refused: its HTTP Tasks could not run.
   */
  providers?: ProviderConnections;
}

/**
 * What {@link deployChain} did.
 *
 * @example
 * ```ts
 * const { stateMachineArn, action }: DeployChainResult = await deployChain(chain, { roleArn });
 * if (action !== 'unchanged') console.log(`${action} ${stateMachineArn}`);
 * ```
 */
export interface DeployChainResult {
  stateMachineArn: string;
  /** `created`: a new machine; `updated`: the definition, role, logging or tracing changed; `unchanged`: no call made. */
  action: 'created' | 'updated' | 'unchanged';
}

const LOG_LEVELS: readonly string[] = ['ALL', 'ERROR', 'FATAL', 'OFF'];
/** A log group ARN, with or without the `:*` Step Functions wants at its end. */
const LOG_GROUP_ARN = /^arn:aws[\w-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w.\-/#]{1,512}(:\*)?$/;

/**
 * The `loggingConfiguration` of CreateStateMachine and UpdateStateMachine, checked before any call: a level of
 * `ALL | ERROR | FATAL | OFF`, a log group for any level but `OFF`, a log group ARN that ends with `:*` (added when
 * missing: the console and `DescribeLogGroups` give the ARN both ways, the API takes only the `:*` form), and a
 * machine name of `[A-Za-z0-9_-]` (the API reference: "To enable logging with CloudWatch Logs, the name should only
 * contain 0-9, A-Z, a-z, - and _").
 */
function loggingConfiguration(logging: DeployLogging | undefined, name: string): LoggingConfiguration {
  const level = logging?.level ?? 'OFF';
  if (!LOG_LEVELS.includes(level)) {
    throw new StepwiseError(`Logging level "${String(level)}" is not one of ${LOG_LEVELS.join(', ')}.`);
  }
  if (level !== 'OFF' && !logging?.logGroupArn) {
    throw new StepwiseError(`Logging level ${level} needs a logGroupArn to write to.`);
  }
  const given = logging?.logGroupArn;
  if (given !== undefined && !LOG_GROUP_ARN.test(given)) {
    throw new StepwiseError(
      `logGroupArn "${given}" is not a CloudWatch Logs log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>:*).`,
    );
  }
  if (level !== 'OFF' && !/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new StepwiseError(
      `State machine name "${name}" cannot log to CloudWatch Logs: such a name may hold only A-Z, a-z, 0-9, - and _.`,
    );
  }
  const logGroupArn = given === undefined || given.endsWith(':*') ? given : `${given}:*`;
  return {
    level,
    includeExecutionData: logging?.includeExecutionData ?? false,
    ...(logGroupArn ? { destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] } : {}),
  };
}

/** JSON with object keys sorted, so two definitions compare by content, not by formatting. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

function sameDefinition(deployed: string | undefined, definition: string): boolean {
  if (deployed === undefined) return false;
  try {
    return canonical(JSON.parse(deployed)) === canonical(JSON.parse(definition));
  } catch {
    return false;
  }
}

function sameLogging(deployed: LoggingConfiguration | undefined, wanted: LoggingConfiguration): boolean {
  const level = deployed?.level ?? 'OFF';
  if (level !== wanted.level) return false;
  if (level === 'OFF') return true;
  const groups = (config: LoggingConfiguration | undefined) =>
    (config?.destinations ?? []).map((destination) => destination.cloudWatchLogsLogGroup?.logGroupArn ?? '').join(',');
  return (
    (deployed?.includeExecutionData ?? false) === wanted.includeExecutionData && groups(deployed) === groups(wanted)
  );
}

/** The definition to deploy; a provider's HTTP Task without its connection is refused, not deployed. */
function compileDefinition(chain: Chain, options: DeployChainOptions): string {
  const missing: CompileWarning[] = [];
  const compileOptions: CompileOptions = {
    ...options.compileOptions,
    providers: { ...options.compileOptions?.providers, ...options.providers },
    onWarning: (warning) => {
      if (warning.code === 'connection-missing') missing.push(warning);
      options.compileOptions?.onWarning?.(warning);
    },
  };
  const machine = compileChain(chain, compileOptions);
  if (missing.length > 0) {
    throw new StepwiseError(
      `Chain "${chain.name}" cannot be deployed: ${missing.map((warning) => warning.message).join(' ')} ` +
        'Pass the EventBridge connection of each provider in providers (CLI: --connection <provider>=<arn>).',
    );
  }
  return JSON.stringify(machine, null, 2);
}

/** The Step Functions client module, loaded on first use so that importing runtime-sfn does not load the AWS SDK. */
type SfnSdk = typeof import('@aws-sdk/client-sfn');

async function findByName(sdk: SfnSdk, client: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new sdk.ListStateMachinesCommand({ maxResults: 1000, nextToken }));
    const found = page.stateMachines?.find((machine) => machine.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

async function describe(
  sdk: SfnSdk,
  client: SFNClient,
  arn: string,
): Promise<DescribeStateMachineCommandOutput | undefined> {
  try {
    return await client.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: arn }));
  } catch (error) {
    if ((error as { name?: string }).name === 'StateMachineDoesNotExist') return undefined;
    throw error;
  }
}

/**
 * Compiles a chain and deploys it as an EXPRESS state machine: creates it, or updates it when the definition, role,
 * logging or tracing differ from what is deployed (read with DescribeStateMachine); makes no change otherwise, so it
 * is safe to call on every start or deploy.
 *
 * @example
 * ```ts
 * import { deployChain } from '@stepwise/runtime-sfn';
 *
 * const { stateMachineArn, action } = await deployChain(qaChain, {
 *   roleArn: 'arn:aws:iam::123456789012:role/stepwise-qa',
 *   tracing: true,
 * });
 * console.log(action, stateMachineArn); // 'created' arn:aws:states:...:stateMachine:qa
 * ```
 */
export async function deployChain(chain: Chain, options: DeployChainOptions): Promise<DeployChainResult> {
  const sdk: SfnSdk = await import('@aws-sdk/client-sfn');
  const client = options.client ?? new sdk.SFNClient({});
  const name = options.name ?? chain.name;
  const definition = compileDefinition(chain, options);
  const logging = loggingConfiguration(options.logging, name);
  if (options.tracing !== undefined && typeof options.tracing !== 'boolean') {
    throw new StepwiseError(`tracing must be true or false, not ${JSON.stringify(options.tracing)}.`);
  }
  const tracing = { enabled: options.tracing ?? false };
  try {
    const arn = options.stateMachineArn ?? (await findByName(sdk, client, name));
    const deployed = arn === undefined ? undefined : await describe(sdk, client, arn);
    if (!deployed) {
      const created = await client.send(
        new sdk.CreateStateMachineCommand({
          name,
          definition,
          roleArn: options.roleArn,
          type: 'EXPRESS',
          loggingConfiguration: logging,
          tracingConfiguration: tracing,
        }),
      );
      return { stateMachineArn: created.stateMachineArn as string, action: 'created' };
    }
    const stateMachineArn = deployed.stateMachineArn ?? (arn as string);
    if (deployed.type !== 'EXPRESS') {
      throw new StepwiseError(
        `State machine ${stateMachineArn} is ${deployed.type}; stepwise runs chains on EXPRESS machines and the type cannot change. Delete it or deploy under another name.`,
      );
    }
    const unchanged =
      sameDefinition(deployed.definition, definition) &&
      deployed.roleArn === options.roleArn &&
      sameLogging(deployed.loggingConfiguration, logging) &&
      (deployed.tracingConfiguration?.enabled ?? false) === tracing.enabled;
    if (unchanged) return { stateMachineArn, action: 'unchanged' };
    await client.send(
      new sdk.UpdateStateMachineCommand({
        stateMachineArn,
        definition,
        roleArn: options.roleArn,
        loggingConfiguration: logging,
        tracingConfiguration: tracing,
      }),
    );
    return { stateMachineArn, action: 'updated' };
  } catch (error) {
    throw mapSfnError(error, `deploy of "${name}"`);
  }
}
