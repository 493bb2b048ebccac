import { SFNClient } from '@aws-sdk/client-sfn';
import { compileChain, type DeployLogging, deployChain, policyFor } from '@stepwise/runtime-sfn';
import { awsClientConfig } from '../aws-client-config';
import { toAwsCliError } from '../aws-hint';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { ExitCode } from '../exit-code';
import { loadChainModule } from '../load-chain-module';
import { parseCommandArgs } from '../parse-command-args';
import { selectChain } from '../select-chain';
import { USAGE } from '../usage';
import { parseHandlerOptions } from './compile-command';
import { LOGGING_ARGS, parseLoggingOptions } from './logging-options';
import { parseProviderOptions } from './provider-options';

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * `stepwise deploy`: creates or updates each chain of the file (or the one named by `--chain`) as a Step Functions
 * EXPRESS state machine with the given role; unchanged definitions are left alone. `--dry-run` prints the plan,
 * the definition and the least-privilege policy the role needs, and calls nothing. `--connection openai=<arn>` (and
 * `--endpoint compatible=<url>`) give the EventBridge connection of each provider whose models the chain calls.
 * `--log-level ALL|ERROR|FATAL|OFF --log-group <arn or name> [--include-execution-data]` turns on CloudWatch Logs for
 * the machines, `--tracing` X-Ray; the policy of `--dry-run` then grants what they need. `STEPWISE_SFN_ENDPOINT`
 * points it at the emulator of `stepwise emulate`.
 *
 * @example
 * ```ts
 * await deployCommand(['examples/router', '--role-arn', 'arn:aws:iam::123456789012:role/router-sfn', '--dry-run'], io);
 * await deployCommand(
 *   ['examples/router', '--role-arn', roleArn, '--log-level', 'ERROR', '--log-group', '/aws/vendedlogs/states/router', '--tracing'],
 *   io,
 * );
 * ```
 */
export async function deployCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      'role-arn': { type: 'string' },
      chain: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'string' },
      handler: { type: 'string', multiple: true },
      connection: { type: 'string', multiple: true },
      endpoint: { type: 'string', multiple: true },
      ...LOGGING_ARGS,
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    USAGE.deploy,
  );
  if (values.help) {
    io.stdout.write(`Usage: ${USAGE.deploy}\n`);
    return ExitCode.ok;
  }
  const [file] = positionals;
  if (!file) throw new CliError(`No chain file given.\nUsage: ${USAGE.deploy}`);
  const roleArn = values['role-arn'] as string | undefined;
  if (!roleArn) {
    throw new CliError(
      `--role-arn is required: the IAM role the state machine runs as (see \`stepwise policy\` for what it needs).\nUsage: ${USAGE.deploy}`,
    );
  }
  if (!ROLE_ARN.test(roleArn)) {
    throw new CliError(`--role-arn "${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
  }
  const module = await loadChainModule(file, io.cwd);
  const chains =
    values.chain === undefined && module.chains.length > 1
      ? module.chains
      : [selectChain(module, values.chain as string | undefined)];
  const name = values.name as string | undefined;
  if (name !== undefined && chains.length > 1) {
    throw new CliError('--name applies to one chain: pick it with --chain <name>.');
  }
  const handlers = parseHandlerOptions(values.handler as string[] | undefined, USAGE.deploy);
  // The EventBridge connection of each provider the chains' invoke steps call through HTTP Tasks.
  const providers = parseProviderOptions(
    values.connection as string[] | undefined,
    values.endpoint as string[] | undefined,
    USAGE.deploy,
  );
  const region = (values.region as string | undefined) ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const [, partition, account] = /^arn:(aws[\w-]*):iam::(\d{12}):/.exec(roleArn) ?? [];
  const json = values.json as boolean;
  // Execution logs (CloudWatch Logs) and X-Ray traces; a log group given by name is in the machines' region and account.
  const { logging, tracing } = parseLoggingOptions(values, USAGE.deploy, {
    needsLogGroup: true,
    place: { partition, region: awsClientConfig(io.env, values.region as string | undefined).region, account },
  });

  if (values['dry-run']) {
    const plans = chains.map((chain) => {
      const definition = compileChain(chain, { handlers, providers });
      const policy = policyFor(chain, {
        ...(region ? { region } : {}),
        ...(account ? { accountId: account } : {}),
        handlers,
        providers,
        stateMachineName: name ?? chain.name,
        logging: logging !== undefined,
        tracing,
      });
      return {
        chain: chain.name,
        stateMachineName: name ?? chain.name,
        type: 'EXPRESS',
        roleArn,
        logging: logging ?? { level: 'OFF' },
        tracing,
        definition,
        policy,
      };
    });
    if (json) {
      io.stdout.write(`${JSON.stringify(plans, null, 2)}\n`);
      return ExitCode.ok;
    }
    io.stdout.write('Dry run: nothing was deployed.\n');
    for (const plan of plans) {
      const bytes = Buffer.byteLength(JSON.stringify(plan.definition));
      const states = countStates(plan.definition);
      io.stdout.write(
        `\n${plan.chain}: would create or update the EXPRESS state machine "${plan.stateMachineName}" ` +
          `(${states} states, ${(bytes / 1024).toFixed(1)} KiB) running as ${roleArn}${region ? ` in ${region}` : ''}.\n` +
          `Settings: ${describeObservability(plan.logging, tracing)}.\n` +
          `The role needs this policy:\n${JSON.stringify(plan.policy, null, 2)}\n`,
      );
    }
    return ExitCode.ok;
  }

  const client = new SFNClient(awsClientConfig(io.env, values.region as string | undefined));
  const results = [];
  for (const chain of chains) {
    try {
      const result = await deployChain(chain, {
        roleArn,
        ...(name ? { name } : {}),
        client,
        compileOptions: { handlers },
        providers,
        ...(logging ? { logging } : {}),
        tracing,
      });
      results.push({ chain: chain.name, ...result });
      if (!json) {
        const settings = logging || tracing ? ` (${describeObservability(logging ?? { level: 'OFF' }, tracing)})` : '';
        io.stdout.write(`${chain.name}: ${describeDeploy(result)}${settings}\n`);
      }
    } catch (error) {
      const failure = toAwsCliError(error, `Deploying ${chain.name} failed`);
      // AWS refuses a machine whose role may not set up the log delivery ("... not authorized to access the Log
      // Destination"): say which statements the role lacks.
      if (logging && /log destination/i.test(failure.message)) {
        throw new CliError(
          `${failure.message}\nThe role needs the log delivery statement of: stepwise policy ${file} ` +
            `--log-level ${logging.level}${tracing ? ' --tracing' : ''}`,
          failure.exitCode,
          { cause: error },
        );
      }
      throw failure;
    }
  }
  if (json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return ExitCode.ok;
}

function countStates(definition: unknown): number {
  let count = 0;
  const visit = (states: unknown): void => {
    if (!states || typeof states !== 'object') return;
    for (const state of Object.values(states as Record<string, Record<string, unknown>>)) {
      count += 1;
      for (const branch of (state.Branches as { States?: unknown }[] | undefined) ?? []) visit(branch.States);
      visit((state.ItemProcessor as { States?: unknown } | undefined)?.States);
      visit((state.Iterator as { States?: unknown } | undefined)?.States);
    }
  };
  visit((definition as { States?: unknown }).States);
  return count;
}

/** `execution logs: ERROR to arn:...:*; X-Ray tracing: on`. */
function describeObservability(logging: DeployLogging | { level: 'OFF' }, tracing: boolean): string {
  const logs =
    logging.level === 'OFF' || !('logGroupArn' in logging)
      ? 'execution logs: off'
      : `execution logs: ${logging.level}${logging.includeExecutionData ? ' with execution data' : ''} to ${logging.logGroupArn}`;
  return `${logs}; X-Ray tracing: ${tracing ? 'on' : 'off'}`;
}

function describeDeploy(result: { stateMachineArn: string; action: string }): string {
  return `${result.action} ${result.stateMachineArn}`;
}
