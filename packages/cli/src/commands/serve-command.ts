import { createHandler, serve } from '@stepwise/server/handler';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { createRuntime } from '../create-runtime';
import { curlCommand } from '../curl-command';
import { ExitCode } from '../exit-code';
import { loadChainModule } from '../load-chain-module';
import { parseCommandArgs } from '../parse-command-args';
import { USAGE } from '../usage';
import { parseHandlerOptions } from './compile-command';

/**
 * `stepwise serve`: serves every chain of the file over HTTP (SSE streaming, JSON, the playground page) on the
 * local runtime (the file's fakes, or Bedrock) or the Step Functions runtime, until Ctrl-C.
 *
 * @example
 * ```ts
 * await serveCommand(['examples/shared', '--port', '3000'], io);
 * ```
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      runtime: { type: 'string', default: 'local' },
      bedrock: { type: 'boolean', default: false },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'no-playground': { type: 'boolean', default: false },
      region: { type: 'string' },
      'state-machine': { type: 'string', multiple: true },
      'role-arn': { type: 'string' },
    },
    USAGE.serve,
  );
  if (values.help) {
    io.stdout.write(`Usage: ${USAGE.serve}\n`);
    return ExitCode.ok;
  }
  const [file] = positionals;
  if (!file) throw new CliError(`No chains file given.\nUsage: ${USAGE.serve}`);
  const portText = (values.port as string | undefined) ?? io.env.PORT ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be a port number (0-65535), got "${portText}".`);
  }
  const host = (values.host as string | undefined) ?? io.env.HOST ?? '127.0.0.1';
  const module = await loadChainModule(file, io.cwd);
  const stateMachines = parseHandlerOptions(
    values['state-machine'] as string[] | undefined,
    USAGE.serve,
    '--state-machine',
  );
  const roleArn = values['role-arn'] as string | undefined;
  const region = values.region as string | undefined;
  const { runtime, description } = await createRuntime(module, {
    runtime: values.runtime as string,
    bedrock: values.bedrock as boolean,
    env: io.env,
    stateMachines,
    ...(roleArn ? { roleArn } : {}),
    ...(region ? { region } : {}),
  });
  // the Express-free entry (decision 0008): the same contract, a faster start
  const app = createHandler({ runtime, chains: module.chains, playground: !values['no-playground'] });
  let handle: Awaited<ReturnType<typeof serve>>;
  try {
    handle = await serve(app, { port, host });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new CliError(`Port ${port} is in use: pick another with --port.`, ExitCode.failed);
    throw error;
  }
  const first = module.chains[0]!;
  const sample = module.sampleInputFor(first.name) ?? {};
  io.stdout.write(
    `stepwise is serving ${module.chains.length} chain${module.chains.length === 1 ? '' : 's'} on the ${description}\n` +
      `  ${module.chains.map((chain) => chain.name).join(', ')}\n\n` +
      `  playground  ${handle.url}/\n` +
      `  chains      ${handle.url}/v1/chains\n\n` +
      `Stream an answer:\n  ${curlCommand(handle.url, first.name, sample)}\n\nCtrl-C stops the server.\n`,
  );
  io.signal?.addEventListener('abort', () => void handle.close(), { once: true });
  await new Promise<void>((resolve) => handle.server.once('close', () => resolve()));
  return ExitCode.ok;
}
