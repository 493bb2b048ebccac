import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type ChainEvent, defineChain, invoke, respond, StepFailedError } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { bedrockModels } from '@stepwise/runtime-local/bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './start-emulator';
import type { StreamCut } from './stream-cut';

// runtime-local with bedrockModels, the real AWS SDK client, against the emulator's Bedrock, whose answers are cut
// at every frame boundary and inside frames: a cut answer must never end the run as if it were whole.

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const MISTRAL = 'mistral.mistral-large-2402-v1:0';
const ANSWER = 'Refunds take 14 days.';
const DELTAS = 5; // Refunds | take | 14 | days | .
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const chainFor = (model: string) =>
  defineChain({
    name: 'cut-answer',
    steps: [
      invoke('classify', { model: HAIKU, prompt: 'Is this about refunds? {{input.q}}' }),
      respond('answer', { model, prompt: '{{input.q}}' }),
    ],
  });

let cut: StreamCut | undefined;
let emulator: Emulator;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  emulator = await startEmulator({
    models: fakeModels({
      respond: (request) =>
        request.messages.at(-1)?.content === 'Break, please.' ? { text: ANSWER, failAfterDeltas: 2 } : undefined,
      default: ANSWER,
    }),
    faults: { cutStream: () => cut },
  });
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: emulator.bedrockEndpoint,
    credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

type Outcome =
  | { ok: true; text: string; events: ChainEvent[] }
  | { ok: false; text: string; events: ChainEvent[]; error: Extract<ChainEvent, { type: 'error' }>['error'] };

/** Streams the chain once under `plan` and sums up what a client saw. */
async function streamOnce(
  operation: 'ConverseStream' | 'InvokeModelWithResponseStream',
  model: string,
  plan: StreamCut | undefined,
): Promise<Outcome> {
  cut = plan;
  const runtime = createLocalRuntime({ models: bedrockModels({ client, streamOperation: operation }) });
  const events: ChainEvent[] = [];
  for await (const event of runtime.stream(chainFor(model), { q: 'How long do refunds take?' })) events.push(event);
  const text = events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
  const last = events.at(-1);
  if (last?.type === 'error') return { ok: false, text, events, error: last.error };
  return { ok: true, text, events };
}

/** The assertions every cut run must meet: an error at the respond step, no end, no answer passed off as whole. */
function expectCut(outcome: Outcome, label: string): void {
  expect(outcome.ok, label).toBe(false);
  if (outcome.ok) return;
  expect(outcome.error.stepId, label).toBe('answer');
  expect(outcome.error.message, label).toContain('Bedrock.ModelStreamErrorException');
  expect(
    outcome.events.some((event) => event.type === 'chain-end'),
    label,
  ).toBe(false);
  expect(
    outcome.events.some((event) => event.type === 'step-end' && event.stepId === 'answer'),
    label,
  ).toBe(false);
  expect(ANSWER.startsWith(outcome.text), label).toBe(true);
}

const streams = [
  { operation: 'ConverseStream', model: HAIKU, frames: DELTAS + 4 },
  { operation: 'InvokeModelWithResponseStream', model: HAIKU, frames: DELTAS + 5 },
  { operation: 'InvokeModelWithResponseStream', model: NOVA, frames: DELTAS + 4 },
  { operation: 'InvokeModelWithResponseStream', model: LLAMA, frames: DELTAS + 1 },
  { operation: 'InvokeModelWithResponseStream', model: MISTRAL, frames: DELTAS + 1 },
] as const;

describe('runtime-local with bedrockModels: a cut answer fails the run', () => {
  it.each(streams)('$operation $model: cut at every frame boundary', async ({ operation, model, frames }) => {
    const hows = ['close', 'end', 'reset'] as const;
    for (let after = 0; ; after++) {
      const how = hows[after % hows.length];
      const outcome = await streamOnce(operation, model, { afterFrames: after, how });
      if (outcome.ok) {
        // The first cut point at the end of the body changes nothing: the answer is whole.
        expect(after).toBe(frames);
        expect(outcome.text).toBe(ANSWER);
        expect(outcome.events.at(-1)).toMatchObject({ type: 'chain-end', text: ANSWER });
        break;
      }
      expectCut(outcome, `${operation} ${model} after ${after} frames (${how})`);
      expect(after).toBeLessThan(frames);
    }
  });

  it.each(streams)('$operation $model: cut inside every frame', async ({ operation, model, frames }) => {
    const hows = ['close', 'reset', 'corrupt', 'end'] as const;
    const offsets = model === HAIKU ? [4, 11, 12, 40, 90] : [20];
    let index = 0;
    for (let after = 0; after < frames; after++) {
      for (const afterBytes of offsets) {
        const how = hows[index++ % hows.length];
        const label = `${operation} ${model}: ${afterBytes} bytes into frame ${after + 1} (${how})`;
        expectCut(await streamOnce(operation, model, { afterFrames: after, afterBytes, how }), label);
      }
    }
  });

  it('a cut between contentBlockStop and messageStop fails though every delta arrived', async () => {
    const outcome = await streamOnce('ConverseStream', HAIKU, { beforeEvent: 'messageStop' });
    expectCut(outcome, 'before messageStop');
    expect(outcome.text).toBe(ANSWER);
    expectCut(await streamOnce('ConverseStream', HAIKU, { beforeEvent: 'metadata', how: 'end' }), 'before metadata');
    expectCut(
      await streamOnce('InvokeModelWithResponseStream', HAIKU, { beforeEvent: 'message_stop' }),
      'before message_stop',
    );
  });

  it('run() rejects with StepFailedError Bedrock.ModelStreamErrorException at the respond step, retryable', async () => {
    cut = { afterFrames: 3 };
    const runtime = createLocalRuntime({ models: bedrockModels({ client }) });
    const failure = await runtime.run(chainFor(HAIKU), { q: 'How long?' }).catch((error: unknown) => error);
    expect(StepFailedError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', stepId: 'answer', retryable: true });
  });

  it('the fake, an in-stream exception and a cut connection give the same error', async () => {
    const chain = defineChain({
      name: 'broken',
      steps: [respond('broken', { model: HAIKU, prompt: 'Break, please.' })],
    });
    const names: unknown[] = [];
    const byFake = createLocalRuntime({ models: fakeModels({ default: { text: ANSWER, failAfterDeltas: 2 } }) });
    names.push(await byFake.run(chain, {}).catch((error: unknown) => error));
    cut = undefined; // the emulator's fake fails mid-stream: an in-stream modelStreamErrorException frame
    const viaEmulator = createLocalRuntime({ models: bedrockModels({ client }) });
    names.push(await viaEmulator.run(chain, {}).catch((error: unknown) => error));
    const viaInvokeStream = createLocalRuntime({
      models: bedrockModels({ client, streamOperation: 'InvokeModelWithResponseStream' }),
    });
    names.push(await viaInvokeStream.run(chain, {}).catch((error: unknown) => error));
    cut = { afterFrames: 3 };
    const answerChain = defineChain({ name: 'cut', steps: [respond('broken', { model: HAIKU, prompt: 'x' })] });
    const runtime = createLocalRuntime({ models: bedrockModels({ client }) });
    names.push(await runtime.run(answerChain, {}).catch((error: unknown) => error));
    expect(names).toHaveLength(4);
    for (const failure of names) {
      expect(failure).toMatchObject({
        name: 'StepFailedError',
        error: 'Bedrock.ModelStreamErrorException',
        stepId: 'broken',
      });
    }
  });
});
