import { type ChainEvent, defineChain, invoke, respond, StepFailedError } from '@stepwise/core';
import { type Emulator, type StreamCut, startEmulator } from '@stepwise/emulator';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSfnRuntime } from './create-sfn-runtime';

// The respond step of runtime-sfn streams from the emulator's Bedrock, whose ConverseStream answer is cut at every
// frame boundary and inside every frame: a cut answer must fail the run, never end it as if it were whole.

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const ROLE = 'arn:aws:iam::123456789012:role/stepwise';
const ANSWER = 'Refunds take 14 days.';
const FRAMES = 5 + 4; // messageStart, 5 deltas (Refunds | take | 14 | days | .), contentBlockStop, messageStop, metadata

const chain = defineChain({
  name: 'cut-respond',
  steps: [
    invoke('classify', { model: HAIKU, prompt: 'Topic of: {{input.q}}' }),
    respond('answer', { model: SONNET, system: 'Topic: {{steps.classify.text}}', prompt: '{{input.q}}' }),
  ],
});

let cut: StreamCut | undefined;
let emulator: Emulator;
let runtime: ReturnType<typeof createSfnRuntime>;

beforeAll(async () => {
  emulator = await startEmulator({
    models: fakeModels({ byStep: { classify: 'refunds', answer: ANSWER } }),
    faults: { cutStream: (request) => (request.stepId === 'answer' ? cut : undefined) },
  });
  runtime = createSfnRuntime({
    endpoint: emulator.sfnEndpoint,
    bedrockEndpoint: emulator.bedrockEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    roleArn: ROLE,
  });
});

afterAll(async () => {
  await emulator?.close();
});

async function streamOnce(plan: StreamCut | undefined): Promise<ChainEvent[]> {
  cut = plan;
  const events: ChainEvent[] = [];
  for await (const event of runtime.stream(chain, { q: 'How long do refunds take?' })) events.push(event);
  return events;
}

function textOf(events: ChainEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
}

/** What every cut run must show: the error of the respond step, and neither its step-end nor a chain-end. */
function expectCut(events: ChainEvent[], label: string): void {
  const last = events.at(-1);
  expect(last?.type, label).toBe('error');
  if (last?.type !== 'error') return;
  expect(last.error.stepId, label).toBe('answer');
  expect(last.error.message, label).toContain('Bedrock.ModelStreamErrorException');
  expect(
    events.some((event) => event.type === 'chain-end'),
    label,
  ).toBe(false);
  expect(
    events.some((event) => event.type === 'step-end' && event.stepId === 'answer'),
    label,
  ).toBe(false);
  // The steps before respond ran and were reported; the answer's text, if any, is a prefix of the real one.
  expect(
    events.some((event) => event.type === 'step-end' && event.stepId === 'classify'),
    label,
  ).toBe(true);
  expect(ANSWER.startsWith(textOf(events)), label).toBe(true);
}

describe('runtime-sfn: a cut respond stream fails the run', () => {
  it('at every frame boundary, however the connection breaks', async () => {
    const hows = ['close', 'end', 'reset'] as const;
    for (let after = 0; after < FRAMES; after++) {
      const how = hows[after % hows.length];
      expectCut(await streamOnce({ afterFrames: after, how }), `after ${after} frames (${how})`);
    }
    // A cut point at the end of the body changes nothing: the plan counts frames right, and the answer is whole.
    const whole = await streamOnce({ afterFrames: FRAMES });
    expect(whole.at(-1)).toMatchObject({ type: 'chain-end', text: ANSWER });
  });

  it('inside every frame: in the prelude, the headers and the payload; closed, reset or corrupted', async () => {
    const hows = ['close', 'reset', 'corrupt', 'end'] as const;
    let index = 0;
    for (let after = 0; after < FRAMES; after++) {
      for (const afterBytes of [5, 12, 95]) {
        const how = hows[index++ % hows.length];
        expectCut(
          await streamOnce({ afterFrames: after, afterBytes, how }),
          `${afterBytes} bytes into frame ${after + 1} (${how})`,
        );
      }
    }
  });

  it('between contentBlockStop and messageStop: every delta arrived, still no answer', async () => {
    const events = await streamOnce({ beforeEvent: 'messageStop' });
    expectCut(events, 'before messageStop');
    expect(textOf(events)).toBe(ANSWER);
    expectCut(await streamOnce({ beforeEvent: 'metadata', how: 'end' }), 'before metadata');
  });

  it('run() rejects with StepFailedError Bedrock.ModelStreamErrorException of the respond step, retryable', async () => {
    cut = { afterFrames: 3 };
    const failure = await runtime.run(chain, { q: 'How long?' }).catch((error: unknown) => error);
    expect(StepFailedError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', stepId: 'answer', retryable: true });
  });
});
