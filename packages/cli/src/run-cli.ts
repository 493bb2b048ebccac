import { StepwiseError } from '@stepwise/core';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import { ExitCode } from './exit-code';
import { USAGE } from './usage';

type Command = (args: string[], io: CliIo) => Promise<number>;

// Loaded on demand, so `stepwise run` does not load the server or the AWS SDK clients it does not use.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run-command')).runCommand,
  check: async () => (await import('./commands/check-command')).checkCommand,
  compile: async () => (await import('./commands/compile-command')).compileCommand,
  policy: async () => (await import('./commands/policy-command')).policyCommand,
  deploy: async () => (await import('./commands/deploy-command')).deployCommand,
  serve: async () => (await import('./commands/serve-command')).serveCommand,
  emulate: async () => (await import('./commands/emulate-command')).emulateCommand,
};

const HELP = `stepwise: LLM prompt chains, run locally or on AWS Step Functions

Usage:
  ${USAGE.run}
  ${USAGE.check}
  ${USAGE.compile}
  ${USAGE.policy}
  ${USAGE.deploy}
  ${USAGE.serve}
  ${USAGE.emulate}

A chain file is a TypeScript or JavaScript module (or a directory with an index file) that exports chains made with
defineChain; it may also export "fakes" ({ models, knowledgeBases, handlers } or a function returning them) used on
the local runtime instead of Amazon Bedrock, "handlers", "knowledgeBases", and "sampleInput".

Environment:
  AWS_REGION, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY   for Bedrock, deploy and --runtime sfn
  STEPWISE_SFN_ENDPOINT, STEPWISE_BEDROCK_ENDPOINT                      use the emulator (stepwise emulate) instead of AWS
  STEPWISE_DEBUG=1                                                      print stack traces of unexpected errors

Exit codes: 0 ok, 1 run or deploy failed, 2 usage error (arguments, chain file, input), 3 AWS region or credentials
missing, 130 interrupted.
`;

/**
 * The `stepwise` command: dispatches `run`, `check`, `compile`, `policy`, `deploy`, `serve` and `emulate`, and turns errors
 * into one clear line on stderr and an exit code (see `ExitCode`); stack traces only for unexpected errors with
 * `STEPWISE_DEBUG=1`. Resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    ...(io.signal ? { signal: io.signal } : {}),
  };
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    full[name === undefined ? 'stderr' : 'stdout'].write(HELP);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    full.stdout.write('stepwise 0.1.0\n');
    return ExitCode.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    full.stderr.write(`stepwise: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.\n`);
    return ExitCode.usage;
  }
  try {
    return await (await command())(args, full);
  } catch (error) {
    if (CliError.isInstance(error)) {
      full.stderr.write(`stepwise ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (StepwiseError.isInstance(error)) {
      full.stderr.write(`stepwise ${name}: ${error.name}: ${error.message}\n`);
      return ExitCode.failed;
    }
    const message = error instanceof Error ? error.message : String(error);
    full.stderr.write(`stepwise ${name}: unexpected error: ${message}\n`);
    if (full.env.STEPWISE_DEBUG && error instanceof Error && error.stack) full.stderr.write(`${error.stack}\n`);
    else full.stderr.write('Set STEPWISE_DEBUG=1 to see the stack trace.\n');
    return ExitCode.failed;
  }
}
