import { curlCommand } from '@stepwise/cli';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { createServer, type ServerHandle, serve } from '@stepwise/server';
import { chains, exampleFakes, sampleInput } from './index';

/** Options of {@link startExamples}. */
export interface StartExamplesOptions {
  /** Default: `PORT`, else 3000. 0 picks a free port. */
  port?: number;
  /** Default: `HOST`, else `127.0.0.1`. */
  host?: string;
  /** Fake model latencies. Default: 150 ms to the first token, 12 ms between tokens. */
  firstTokenMs?: number;
  tokenMs?: number;
  /** `false`: no request log. Default: the server's JSON request log. */
  logger?: false;
  /** Show failures' original messages to clients (the server's `exposeErrorDetails`). Default false. */
  exposeErrorDetails?: boolean;
  /** Stream step events as they happen, for the playground's live graph (the server's `liveEvents`). Default false. */
  liveEvents?: boolean;
  /** `'nested'`: the steps inside parallel, map, choose and split stream too, live (the server's `eventDetail`). */
  eventDetail?: 'top' | 'nested';
  /** Where the banner goes. Default `process.stdout`; `null` prints nothing. */
  out?: NodeJS.WritableStream | null;
}

/**
 * Serves every example chain on runtime-local with fake models (small, realistic latencies) and the playground,
 * and prints the URL and a ready-to-paste `curl -N` line. What `pnpm start` runs.
 *
 * @example
 * ```ts
 * const handle = await startExamples({ port: 0 });
 * await handle.close();
 * ```
 */
export async function startExamples(options: StartExamplesOptions = {}): Promise<ServerHandle> {
  const runtime = createLocalRuntime(
    exampleFakes({ firstTokenMs: options.firstTokenMs ?? 150, tokenMs: options.tokenMs ?? 12 }),
  );
  const app = createServer({
    runtime,
    chains,
    ...(options.logger === false ? { logger: false as const } : {}),
    ...(options.exposeErrorDetails ? { exposeErrorDetails: true } : {}),
    ...(options.liveEvents ? { liveEvents: true } : {}),
    ...(options.eventDetail ? { eventDetail: options.eventDetail } : {}),
  });
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 3000);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const handle = await serve(app, { port, host });
  const out = options.out === undefined ? process.stdout : options.out;
  out?.write(
    `stepwise examples on the local runtime (fake models, no AWS needed)\n\n` +
      `  playground  ${handle.url}/\n` +
      `  chains      ${chains.map((chain) => chain.name).join(', ')}  (${handle.url}/v1/chains)\n\n` +
      `Stream an answer:\n\n  ${curlCommand(handle.url, 'rag-assistant', { question: 'Can I return hiking boots I have already worn?' })}\n\n` +
      `Other chains: replace rag-assistant and the input, for example\n` +
      `  router        ${JSON.stringify(sampleInput.router)}\n` +
      `  api-call      ${JSON.stringify(sampleInput['api-call'])}\n` +
      `  ab-test       ${JSON.stringify(sampleInput['ab-test'])}\n` +
      `  any-provider  ${JSON.stringify(sampleInput['any-provider'])}\n\n` +
      (options.exposeErrorDetails
        ? 'Error details are shown to clients (exposeErrorDetails: true), for trying the examples;\n' +
          'a production server leaves it off, and clients see only error names, step ids and request ids.\n\n'
        : '') +
      'Ctrl-C stops the server.\n',
  );
  return handle;
}
