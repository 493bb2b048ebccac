import { policyFor } from '@stepwise/runtime-sfn';
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

/**
 * `stepwise policy`: prints the least-privilege IAM policy the chain's state machine role needs (Bedrock models,
 * knowledge bases, Lambda handlers it uses, and for other providers' models the HTTP endpoints, EventBridge
 * connections and their secrets, given by `--connection <provider>=<arn>`). With `--log-level ALL|ERROR|FATAL` (the
 * machine logs to CloudWatch Logs) it adds the log delivery actions, with `--tracing` the X-Ray ones; it takes the
 * same `--log-group` and `--include-execution-data` as `deploy`, so one command line serves both.
 *
 * @example
 * ```ts
 * await policyCommand(['examples/router', '--region', 'us-east-1', '--account', '123456789012'], io);
 * await policyCommand(['examples/router', '--log-level', 'ERROR', '--tracing'], io); // + DeliverExecutionLogs, SendTraces
 * ```
 */
export async function policyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      chain: { type: 'string' },
      region: { type: 'string' },
      account: { type: 'string' },
      handler: { type: 'string', multiple: true },
      connection: { type: 'string', multiple: true },
      endpoint: { type: 'string', multiple: true },
      ...LOGGING_ARGS,
    },
    USAGE.policy,
  );
  if (values.help) {
    io.stdout.write(`Usage: ${USAGE.policy}\n`);
    return ExitCode.ok;
  }
  const [file] = positionals;
  if (!file) throw new CliError(`No chain file given.\nUsage: ${USAGE.policy}`);
  const module = await loadChainModule(file, io.cwd);
  const chain = selectChain(module, values.chain as string | undefined);
  const region = (values.region as string | undefined) ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const account = values.account as string | undefined;
  const handlers = parseHandlerOptions(values.handler as string[] | undefined, USAGE.policy);
  const providers = parseProviderOptions(
    values.connection as string[] | undefined,
    values.endpoint as string[] | undefined,
    USAGE.policy,
  );
  // The policy needs only whether the machine logs, not where: the log group is checked as deploy checks it.
  const { logging, tracing } = parseLoggingOptions(values, USAGE.policy, {
    needsLogGroup: false,
    place: { region, account },
  });
  const policy = policyFor(chain, {
    ...(region ? { region } : {}),
    ...(account ? { accountId: account } : {}),
    handlers,
    providers,
    logging: logging !== undefined,
    tracing,
  });
  io.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return ExitCode.ok;
}
