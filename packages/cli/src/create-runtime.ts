import type { ChainRuntime } from '@stepwise/core';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { awsClientConfig } from './aws-client-config';
import type { ChainModule, ChainServices } from './chain-module';
import { CliError } from './cli-error';
import { ExitCode } from './exit-code';
import { routeModels } from './route-models';

/** The role chains are deployed with on the emulator when none is given (the emulator does not check it). */
const EMULATOR_ROLE_ARN = 'arn:aws:iam::123456789012:role/stepwise-emulator';

/**
 * Options of {@link createRuntime}.
 *
 * @example
 * ```ts
 * const options: CreateRuntimeOptions = { runtime: 'sfn', roleArn: 'arn:aws:iam::123456789012:role/x', env: process.env };
 * ```
 */
export interface CreateRuntimeOptions {
  /** `local` (in process) or `sfn` (Step Functions). Default `local`. */
  runtime?: string;
  /** Use real Bedrock on the local runtime even when the module exports fakes. */
  bedrock?: boolean;
  /** `sfn`: the deployed state machine of each chain, by chain name. */
  stateMachines?: Record<string, string>;
  /** `sfn`: deploy chains without a state machine on first use, with this role. */
  roleArn?: string;
  /** AWS region; default the environment's. */
  region?: string;
  /** Environment: `STEPWISE_SFN_ENDPOINT`, `STEPWISE_BEDROCK_ENDPOINT`, `STEPWISE_ROLE_ARN`, `AWS_REGION`. */
  env: NodeJS.ProcessEnv;
}

/**
 * A runtime built for a command, and how it was built (for the user).
 *
 * @example
 * ```ts
 * const { runtime, description } = await createRuntime(module, { env: process.env });
 * console.error(`Running on the ${description}`);
 * ```
 */
export interface CreatedRuntime {
  runtime: ChainRuntime;
  /** What runs the chain: `local runtime, fake models` ... */
  description: string;
}

/**
 * Builds the runtime a command runs chains on. `local`: the module's fakes (see `ChainModule`) unless `bedrock`
 * is set or it has none, else real Bedrock (`bedrockModels()` from `@stepwise/runtime-local/bedrock`) with the module's handlers and knowledge bases.
 * `sfn`: `createSfnRuntime` with the given state machines, or deploying on first use with `roleArn`
 * (`STEPWISE_ROLE_ARN`); against `STEPWISE_SFN_ENDPOINT`/`STEPWISE_BEDROCK_ENDPOINT` when set (the emulator of
 * `stepwise emulate`, where chains are deployed on first use with a placeholder role), else AWS.
 *
 * @example
 * ```ts
 * const { runtime } = await createRuntime(module, { runtime: 'local', env: process.env });
 * ```
 */
export async function createRuntime(module: ChainModule, options: CreateRuntimeOptions): Promise<CreatedRuntime> {
  const kind = options.runtime ?? 'local';
  if (kind === 'local') {
    if (module.fakes && !options.bedrock) {
      const fakes: ChainServices = await module.fakes();
      if (!fakes.models) throw new CliError('The "fakes" export has no "models" (for example fakeModels(...)).');
      return {
        runtime: createLocalRuntime({
          ...fakes,
          models: fakes.models,
          handlers: { ...fakes.handlers, ...module.handlers },
          knowledgeBases: { ...fakes.knowledgeBases, ...module.knowledgeBases },
        }),
        description: 'local runtime, fake models',
      };
    }
    // Loaded only here: the Bedrock provider and its AWS SDK client stay out of runs on fakes (decision 0006).
    const { bedrockModels } = await import('@stepwise/runtime-local/bedrock');
    const bedrock = bedrockModels(options.region ? { region: options.region } : {});
    return {
      runtime: createLocalRuntime({
        models: module.models ? routeModels(bedrock, await module.models()) : bedrock,
        handlers: module.handlers ?? {},
        knowledgeBases: module.knowledgeBases ?? {},
      }),
      description: 'local runtime, Amazon Bedrock',
    };
  }
  if (kind === 'sfn') {
    const config = awsClientConfig(options.env, options.region);
    const bedrockEndpoint = options.env.STEPWISE_BEDROCK_ENDPOINT ?? config.endpoint;
    const roleArn =
      options.roleArn ?? options.env.STEPWISE_ROLE_ARN ?? (config.endpoint ? EMULATOR_ROLE_ARN : undefined);
    const stateMachines = options.stateMachines ?? {};
    const missing = module.chains.filter((chain) => !(chain.name in stateMachines));
    if (!roleArn && missing.length > 0) {
      throw new CliError(
        `--runtime sfn needs the state machine of ${missing.map((chain) => `"${chain.name}"`).join(', ')}: ` +
          'pass --state-machine-arn <arn> (deployed with `stepwise deploy`), or --role-arn <arn> (or STEPWISE_ROLE_ARN) ' +
          'to deploy on first use.',
        ExitCode.usage,
      );
    }
    const models = module.models ? await module.models() : undefined;
    const runtime = createSfnRuntime({
      ...config,
      ...(models ? { models } : {}),
      ...(bedrockEndpoint ? { bedrockEndpoint } : {}),
      stateMachines,
      ...(roleArn ? { roleArn } : {}),
      ...(config.endpoint ? { maxAttempts: 1 } : {}),
    });
    return {
      runtime,
      description: config.endpoint ? `Step Functions runtime at ${config.endpoint}` : 'Step Functions runtime (AWS)',
    };
  }
  throw new CliError(`Unknown runtime "${kind}": use --runtime local or --runtime sfn.`, ExitCode.usage);
}
