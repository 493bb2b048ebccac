// Measures the map speed-up: 40 documents, each summary a fake model call of 200 ms, at maxConcurrency 1, 10 and 40,
// on runtime-local and on the SFN runtime through the emulator.
//   pnpm --filter @stepwise/example-parallel-map measure
import type { ChainRuntime } from '@stepwise/core';
import { startEmulator } from '@stepwise/emulator';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { reviewDigestChain } from './chain';
import { reviewDigestFakes, sampleDigestInput } from './fakes';

const DOCUMENTS = 40;
const LATENCY_MS = 200;
const input = sampleDigestInput(DOCUMENTS);

async function mapMs(runtime: ChainRuntime, maxConcurrency: number): Promise<number> {
  const chain = reviewDigestChain({ maxConcurrency, name: `digest-c${maxConcurrency}` });
  const started = performance.now();
  for await (const event of runtime.stream(chain, input)) {
    if (event.type === 'error') throw new Error(event.error.message);
    if (event.type === 'step-end' && event.stepId === 'summaries' && event.ms > 0) return event.ms;
    if (event.type === 'step-start' && event.stepId === 'synthesis') return performance.now() - started;
  }
  throw new Error('no map step');
}

const emulator = await startEmulator({ ...reviewDigestFakes({ firstTokenMs: LATENCY_MS }) });
const runtimes: [string, ChainRuntime][] = [
  ['runtime-local', createLocalRuntime(reviewDigestFakes({ firstTokenMs: LATENCY_MS }))],
  [
    'SFN runtime (emulator)',
    createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      roleArn: 'arn:aws:iam::123456789012:role/measure',
    }),
  ],
];
const rows: string[] = [];
for (const [name, runtime] of runtimes) {
  await mapMs(runtime, 40); // warm up (and, on the emulator, deploy)
  const serial = await mapMs(runtime, 1);
  for (const concurrency of [1, 10, 40]) {
    const ms = concurrency === 1 ? serial : await mapMs(runtime, concurrency);
    rows.push(`| ${name} | ${concurrency} | ${(ms / 1000).toFixed(2)} s | ${(serial / ms).toFixed(1)}x |`);
  }
}
await emulator.close();
process.stdout.write(
  `${DOCUMENTS} documents, ${LATENCY_MS} ms per summary (fake model latency), time of the map step:\n\n` +
    '| runtime | maxConcurrency | map step | speed-up |\n|---|---|---|---|\n' +
    `${rows.join('\n')}\n`,
);
