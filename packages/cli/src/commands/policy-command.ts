import { policyFor } from '@stepwise/runtime-sfn';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { ExitCode } from '../exit-code';
import { loadChainModule } from '../load-chain-module';
import { parseCommandArgs } from '../parse-command-args';
import { selectChain } from '../select-chain';
import { USAGE } from '../usage';
import { parseHandlerOptions } from './compile-command';
import { parseProviderOptions } from './provider-options';

/**
 * `stepwise policy`: prints the least-privilege IAM policy the chain's state machine role needs (Bedrock models,
 * knowledge bases, Lambda handlers it uses, and for other providers' models the HTTP endpoints, EventBridge
 * connections and their secrets, given by `--connection <provider>=<arn>`).
 *
 * @example
 * ```ts
 * await policyCommand(['examples/router', '--region', 'us-east-1', '--account', '123456789012'], io);
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
  const policy = policyFor(chain, {
    ...(region ? { region } : {}),
    ...(account ? { accountId: account } : {}),
    handlers,
    providers,
  });
  io.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return ExitCode.ok;
}
