import { InputValidationError } from '@stepwise/core';
import { awsSetupHint } from '../aws-hint';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { createRuntime } from '../create-runtime';
import { ExitCode } from '../exit-code';
import { loadChainModule } from '../load-chain-module';
import { parseCommandArgs } from '../parse-command-args';
import { parseInput } from '../parse-input';
import { printEvents } from '../print-events';
import { selectChain } from '../select-chain';
import { USAGE } from '../usage';

/**
 * `stepwise run`: runs a chain once and shows it live: a progress line per step, then the streamed answer
 * (`--json`: every event as NDJSON). Exit code 0 when the run succeeds, 1 when it fails.
 *
 * @example
 * ```ts
 * process.exitCode = await runCommand(['examples/rag-assistant', '--input', '{"question":"Hi"}'], io);
 * ```
 */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      chain: { type: 'string' },
      input: { type: 'string', short: 'i' },
      runtime: { type: 'string', default: 'local' },
      bedrock: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      region: { type: 'string' },
      'state-machine-arn': { type: 'string' },
      'role-arn': { type: 'string' },
    },
    USAGE.run,
  );
  if (values.help) {
    io.stdout.write(`Usage: ${USAGE.run}\n`);
    return ExitCode.ok;
  }
  const [file, ...extra] = positionals;
  if (!file) throw new CliError(`No chain file given.\nUsage: ${USAGE.run}`);
  if (extra.length > 0) throw new CliError(`Unexpected argument "${extra[0]}".\nUsage: ${USAGE.run}`);
  const module = await loadChainModule(file, io.cwd);
  const chain = selectChain(module, values.chain as string | undefined);
  let input: unknown;
  if (values.input !== undefined) input = parseInput(values.input as string, io.cwd);
  else input = module.sampleInputFor(chain.name);
  if (input === undefined) {
    throw new CliError(
      `No input: pass --input '<json>' (or @file.json), or export "sampleInput" from the chain file.\nUsage: ${USAGE.run}`,
    );
  }
  const stateMachineArn = values['state-machine-arn'] as string | undefined;
  const roleArn = values['role-arn'] as string | undefined;
  const region = values.region as string | undefined;
  const { runtime, description } = await createRuntime(
    { ...module, chains: [chain] },
    {
      runtime: values.runtime as string,
      bedrock: values.bedrock as boolean,
      env: io.env,
      ...(stateMachineArn ? { stateMachines: { [chain.name]: stateMachineArn } } : {}),
      ...(roleArn ? { roleArn } : {}),
      ...(region ? { region } : {}),
    },
  );
  const json = values.json as boolean;
  if (!json) io.stderr.write(`Running ${chain.name} on the ${description}\n`);
  const options = io.signal ? { signal: io.signal } : {};
  let printed: Awaited<ReturnType<typeof printEvents>>;
  try {
    printed = await printEvents(runtime.stream(chain, input, options), {
      mode: json ? 'json' : io.stderr.isTTY ? 'tty' : 'plain',
      stdout: io.stdout,
      stderr: io.stderr,
    });
  } catch (error) {
    if (InputValidationError.isInstance(error)) {
      throw new CliError(`${error.message}\nCheck --input against the chain's input schema.`, ExitCode.usage);
    }
    const hint = awsSetupHint(error);
    if (hint) throw new CliError(hint, ExitCode.environment, { cause: error });
    throw error;
  }
  if (printed.ok) return ExitCode.ok;
  if (io.signal?.aborted) return ExitCode.interrupted;
  const hint = printed.error ? awsSetupHint(new Error(printed.error.message)) : undefined;
  if (hint) {
    io.stderr.write(`${hint}\n`);
    return ExitCode.environment;
  }
  return ExitCode.failed;
}
