/**
 * aiSdkModels overhead: the same model call made directly on an AI SDK language model (`doGenerate`, `doStream`
 * read to its end) and through `aiSdkModels` (`doInvoke`, `doStream` iterated), in the same process.
 *
 * - Over loopback HTTP: a real `@ai-sdk/openai` Chat Completions client against the emulator's
 *   `startOpenAiCompatible` (zero-latency fakes), the cost of a real call without the network. Target: < 10%.
 * - In process: the AI SDK's own `MockLanguageModelV4` (nothing but the adapter's work), for the absolute cost in µs.
 *
 * Each round measures every variant back to back; the overhead is the median of the per-round ratios.
 */
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { ModelRequest } from '@stepwise/core';
import { startOpenAiCompatible } from '@stepwise/emulator';
import { fakeModels } from '@stepwise/runtime-local';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import { collectGarbage, median, printTable, runsPerSecond } from './lib/measure';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const ROUND_MS = Number(process.env.ROUND_MS ?? 300);
const ANSWER = 'Refunds take fourteen days from the day we receive the item back in the store.';

const request: ModelRequest = {
  modelId: 'openai:gpt-4o-mini',
  system: 'Answer in one sentence.',
  messages: [{ role: 'user', content: 'How long do refunds take?' }],
  maxTokens: 100,
};
const callOptions: LanguageModelV4CallOptions = {
  prompt: [
    { role: 'system', content: 'Answer in one sentence.' },
    { role: 'user', content: [{ type: 'text', text: 'How long do refunds take?' }] },
  ],
  maxOutputTokens: 100,
};

async function directStream(model: LanguageModelV4): Promise<void> {
  const { stream } = await model.doStream(callOptions);
  const reader = stream.getReader();
  while (!(await reader.read()).done) {
    // read to the end, as a consumer does
  }
}

async function viaStream(models: ReturnType<typeof aiSdkModels>): Promise<void> {
  for await (const _part of models.doStream(request)) {
    // read to the end
  }
}

async function measure(label: string, model: LanguageModelV4): Promise<Array<Array<string | number>>> {
  const models = aiSdkModels({ openai: () => model });
  const variants: Array<[string, () => Promise<unknown>]> = [
    ['direct doGenerate', async () => model.doGenerate(callOptions)],
    ['aiSdkModels doInvoke', () => models.doInvoke(request)],
    ['direct doStream', () => directStream(model)],
    ['aiSdkModels doStream', () => viaStream(models)],
  ];
  for (const [, run] of variants) for (let i = 0; i < 50; i++) await run(); // warm up
  const rates: number[][] = variants.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, [, run]] of variants.entries()) {
      collectGarbage();
      rates[index]!.push(await runsPerSecond(run, ROUND_MS));
    }
  }
  const ratio = (via: number, direct: number) =>
    median(rates[via]!.map((rate, round) => rates[direct]![round]! / rate));
  return variants.map(([name], index) => {
    const calls = median(rates[index]!);
    const overhead = index % 2 === 1 ? `${((ratio(index, index - 1) - 1) * 100).toFixed(1)}%` : '-';
    return [label, name, calls, 1e6 / calls, overhead];
  });
}

const server = await startOpenAiCompatible({ models: fakeModels({ default: ANSWER }) });
try {
  const openai = createOpenAI({ baseURL: server.baseUrl, apiKey: 'bench' });
  const mock = new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: 'text', text: ANSWER }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 9, noCache: 9, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 16, text: 16, reasoning: undefined },
      },
      warnings: [],
    }),
    doStream: async () => ({
      stream: convertArrayToReadableStream<LanguageModelV4StreamPart>([
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: '0' },
        ...ANSWER.split(' ').map(
          (word): LanguageModelV4StreamPart => ({ type: 'text-delta', id: '0', delta: `${word} ` }),
        ),
        { type: 'text-end', id: '0' },
        {
          type: 'finish',
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: {
            inputTokens: { total: 9, noCache: 9, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: 16, text: 16, reasoning: undefined },
          },
        },
      ]),
    }),
  });
  const rows = [
    ...(await measure('loopback HTTP, @ai-sdk/openai', openai.chat('gpt-4o-mini'))),
    ...(await measure('in process, MockLanguageModelV4', mock)),
  ];
  printTable(['model', 'call', 'calls/s (median)', 'µs/call', 'overhead vs direct (median of per-round ratios)'], rows);
} finally {
  await server.close();
}
