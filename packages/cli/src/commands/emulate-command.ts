import { type OpenAiCompatibleServer, startEmulator, startOpenAiCompatible } from '@stepwise/emulator';
import { fakeModels } from '@stepwise/runtime-local';
import type { ChainServices } from '../chain-module';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { ExitCode } from '../exit-code';
import { loadChainModule } from '../load-chain-module';
import { parseCommandArgs } from '../parse-command-args';
import { USAGE } from '../usage';

/**
 * `stepwise emulate`: runs the loopback Step Functions + Bedrock Runtime emulator until Ctrl-C. Models, knowledge
 * bases and handlers come from the `fakes` export of `--fakes <file>`; without it every model echoes its prompt.
 * Point `stepwise deploy`, `stepwise run --runtime sfn` or any AWS SDK client at the printed endpoint. HTTP Tasks of
 * chains on other providers (decision 0007) go to loopback APIs answered by the same fakes: OpenAI's and Anthropic's
 * endpoints by default, an OpenAI-compatible one given with `--compatible-endpoint <https-prefix>`.
 *
 * @example
 * ```ts
 * await emulateCommand(['--port', '4010', '--fakes', 'examples/shared'], io);
 * ```
 */
export async function emulateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      fakes: { type: 'string' },
      'compatible-endpoint': { type: 'string' },
    },
    USAGE.emulate,
  );
  if (values.help) {
    io.stdout.write(`Usage: ${USAGE.emulate}\n`);
    return ExitCode.ok;
  }
  if (positionals.length > 0) throw new CliError(`Unexpected argument "${positionals[0]}".\nUsage: ${USAGE.emulate}`);
  const portText = (values.port as string | undefined) ?? '4010';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be a port number (0-65535), got "${portText}".`);
  }
  let services: ChainServices = { models: fakeModels({ default: { echo: true } }) };
  const fakesFile = values.fakes as string | undefined;
  if (fakesFile) {
    const module = await loadChainModule(fakesFile, io.cwd);
    if (!module.fakes) throw new CliError(`${fakesFile} exports no "fakes" (an object or a function returning one).`);
    services = await module.fakes();
    if (!services.models) throw new CliError(`The "fakes" export of ${fakesFile} has no "models".`);
  }
  const compatibleEndpoint = values['compatible-endpoint'] as string | undefined;
  if (compatibleEndpoint !== undefined && !compatibleEndpoint.startsWith('https://')) {
    throw new CliError(`--compatible-endpoint must be an https URL prefix, got "${compatibleEndpoint}".`);
  }
  // Other providers' APIs on loopback, answered by the same fakes: where the emulator's HTTP Tasks go.
  const apis: OpenAiCompatibleServer[] = await Promise.all(
    (['openai', 'anthropic', 'compatible'] as const).map((provider) =>
      startOpenAiCompatible({ models: services.models!, provider }),
    ),
  );
  const [openaiApi, anthropicApi, compatibleApi] = apis as [
    OpenAiCompatibleServer,
    OpenAiCompatibleServer,
    OpenAiCompatibleServer,
  ];
  const httpEndpoints: Record<string, string> = {
    'https://api.openai.com/v1': openaiApi.baseUrl,
    'https://api.anthropic.com/v1': anthropicApi.baseUrl,
    ...(compatibleEndpoint ? { [compatibleEndpoint.replace(/\/$/, '')]: compatibleApi.baseUrl } : {}),
  };
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      models: services.models!,
      knowledgeBases: services.knowledgeBases ?? {},
      handlers: services.handlers ?? {},
      port,
      host: (values.host as string | undefined) ?? '127.0.0.1',
      httpEndpoints,
    });
  } catch (error) {
    await Promise.all(apis.map((api) => api.close()));
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new CliError(`Port ${port} is in use: pick another with --port.`, ExitCode.failed);
    throw error;
  }
  io.stdout.write(
    `stepwise emulator (Step Functions + Bedrock Runtime) listening on ${emulator.endpoint}` +
      `${fakesFile ? ` with the fakes of ${fakesFile}` : ', every model echoing its prompt'}\n\n` +
      'In another shell:\n' +
      `  export STEPWISE_SFN_ENDPOINT=${emulator.sfnEndpoint} STEPWISE_BEDROCK_ENDPOINT=${emulator.bedrockEndpoint}\n` +
      '  export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local\n' +
      '  stepwise deploy <chain-file> --role-arn arn:aws:iam::123456789012:role/stepwise\n' +
      '  stepwise run <chain-file> --runtime sfn\n\n' +
      `HTTP Tasks (other providers): ${Object.entries(httpEndpoints)
        .map(([prefix, url]) => `${prefix} -> ${url}`)
        .join(', ')}\n\nCtrl-C stops the emulator.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void Promise.all([emulator.close(), ...apis.map((api) => api.close())]).then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
  });
  return ExitCode.ok;
}
