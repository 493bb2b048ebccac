import { SFNClient } from '@aws-sdk/client-sfn';
import {
  AbortedError,
  type ChainEvent,
  choose,
  defineChain,
  ExecutionTimeoutError,
  InputValidationError,
  invoke,
  isTrue,
  parallel,
  respond,
  StepFailedError,
  StepwiseError,
  task,
  transform,
  when,
} from '@stepwise/core';
import { type Emulator, startEmulator } from '@stepwise/emulator';
import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployChain } from '../deploy/deploy-chain';
import { createSfnRuntime } from './create-sfn-runtime';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const ROLE = 'arn:aws:iam::123456789012:role/stepwise';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const reference = defineChain({
  name: 'reference',
  steps: [
    invoke('classify', { model: HAIKU, prompt: 'Billing? {{input.question}}', output: 'boolean' }),
    choose('route', [
      when(isTrue('steps.classify.value'), [
        parallel('enrich', {
          keywords: [invoke('keywords', { model: HAIKU, prompt: 'Keywords: {{input.question}}' })],
          tone: [invoke('tone', { model: NOVA, prompt: 'Tone: {{input.question}}' })],
        }),
      ]),
    ]),
    respond('answer', { model: SONNET, system: 'Context: {{steps.route | json}}', prompt: '{{input.question}}' }),
  ],
});

const failing = defineChain({
  name: 'failing',
  steps: [transform('first', { set: { ok: true } }), task('charge', { handler: 'charge' })],
});

const slow = defineChain({ name: 'slow', steps: [task('wait', { handler: 'wait' })] });

const throttled = defineChain({
  name: 'throttled',
  steps: [invoke('busy', { model: HAIKU, prompt: 'Hello {{input.name}}' })],
});

const streamFails = defineChain({
  name: 'stream-fails',
  steps: [respond('story', { model: SONNET, prompt: 'A story about {{input.topic}}' })],
});

async function collect(events: AsyncIterable<ChainEvent>): Promise<ChainEvent[]> {
  const out: ChainEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('createSfnRuntime', () => {
  const models = fakeModels({
    byStep: {
      classify: 'true',
      keywords: 'charge, twice',
      tone: 'annoyed',
      answer: 'Sorry about the double charge.',
      story: { text: 'Once upon a time there was a model', failAfterDeltas: 2 },
      busy: { text: 'never', throttle: 1_000 },
    },
  });
  let emulator: Emulator;
  let client: SFNClient;
  const common = () => ({
    endpoint: emulator.sfnEndpoint,
    bedrockEndpoint: emulator.bedrockEndpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });

  beforeAll(async () => {
    emulator = await startEmulator({
      models,
      handlers: {
        charge: () => {
          const error = new Error('Card declined');
          error.name = 'PaymentDeclined';
          throw error;
        },
        wait: () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 1_500)),
      },
      executionTimeoutSeconds: 1,
    });
    client = new SFNClient({ ...common(), disableHostPrefix: true });
  });

  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it('replays step events from the recorded state, then streams respond, with usage summed per model', async () => {
    const { stateMachineArn } = await deployChain(reference, { roleArn: ROLE, client });
    const runtime = createSfnRuntime({ ...common(), stateMachines: { reference: stateMachineArn } });
    const events = await collect(runtime.stream(reference, { question: 'Why was I charged twice?' }));
    const kinds = events.map((event) =>
      event.type.startsWith('step') ? `${event.type}:${(event as { stepId: string }).stepId}` : event.type,
    );
    expect(kinds).toEqual([
      'chain-start',
      'step-start:classify',
      'step-end:classify',
      'step-start:route',
      'step-start:enrich',
      'step-end:enrich',
      'step-end:route',
      'step-start:answer',
      ...events.filter((event) => event.type === 'text-delta').map(() => 'text-delta'),
      'step-end:answer',
      'chain-end',
    ]);
    const deltas = events.filter((event) => event.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((event) => event.delta).join('')).toBe('Sorry about the double charge.');
    const classify = events.find((event) => event.type === 'step-end' && event.stepId === 'classify');
    expect(classify).toMatchObject({ output: { text: 'true', value: true }, usage: { outputTokens: 1 }, ms: 0 });
    const end = events.at(-1) as Extract<ChainEvent, { type: 'chain-end' }>;
    expect(end.text).toBe('Sorry about the double charge.');
    expect(Object.keys(end.usage.byModel).sort()).toEqual([HAIKU, SONNET, NOVA].sort());
    const haiku = end.usage.byModel[HAIKU];
    const classifyUsage = (classify as { usage: { inputTokens: number } }).usage;
    expect(haiku?.inputTokens).toBeGreaterThan(classifyUsage.inputTokens);
    expect(end.usage.totalTokens).toBe(end.usage.inputTokens + end.usage.outputTokens);
    const answerCall = models.calls.find((call) => call.stepId === 'answer');
    expect(answerCall?.system).toContain('"keywords"');
  });

  it('run() resolves with output, text, usage and the reported steps only', async () => {
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    const result = await runtime.run(reference, { question: 'Charged twice?' });
    expect(result.text).toBe('Sorry about the double charge.');
    expect(Object.keys(result.steps).sort()).toEqual(['answer', 'classify', 'enrich', 'route']);
    expect(result.output).toEqual(result.steps.route);
  });

  it('deploys on first use when given a role, and needs one or an ARN', async () => {
    const chain = defineChain({ name: 'on-demand', steps: [transform('t', { set: { a: 'input.a' } })] });
    await expect(createSfnRuntime(common()).run(chain, { a: 1 })).rejects.toThrow(
      /No state machine for chain "on-demand"/,
    );
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    expect((await runtime.run(chain, { a: 1 })).output).toEqual({ a: 1 });
    expect((await runtime.run(chain, { a: 2 })).output).toEqual({ a: 2 });
  });

  it('maps FAILED to StepFailedError with the ASL error, cause and step id', async () => {
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    const failure = await runtime.run(failing, {}).catch((error: unknown) => error);
    expect(StepFailedError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({
      error: 'PaymentDeclined',
      stepId: 'charge',
      message: expect.stringContaining('Card declined'),
    });
    expect(JSON.parse((failure as StepFailedError).errorCause as string)).toMatchObject({
      errorType: 'PaymentDeclined',
    });
    const events = await collect(runtime.stream(failing, {}));
    expect(events.map((event) => event.type)).toEqual(['chain-start', 'error']);
    expect(events[1]).toMatchObject({ error: { name: 'StepFailedError', stepId: 'charge' } });
  });

  it('flags a failure retryable as runtime-local does: by the ASL name of a model error', async () => {
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    const busy = await runtime.run(throttled, { name: 'Ada' }).catch((error: unknown) => error);
    expect(busy).toMatchObject({ error: 'Bedrock.ThrottlingException', stepId: 'busy', retryable: true });
    const declined = await runtime.run(failing, {}).catch((error: unknown) => error);
    expect(declined).toMatchObject({ error: 'PaymentDeclined', retryable: false });
  });

  it('tells the step of a run-time error from the state the cause names', async () => {
    const chain = defineChain({
      name: 'missing-path',
      steps: [
        transform('first', { set: { greeting: 'Hello {{input.name}}' } }),
        transform('second', { set: { greeting: 'Bye {{input.surname}}' } }),
      ],
    });
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    await expect(runtime.run(chain, { name: 'Ada' })).rejects.toMatchObject({
      name: 'StepFailedError',
      error: 'States.Runtime',
      stepId: 'second',
    });
  });

  it('maps TIMED_OUT to ExecutionTimeoutError', async () => {
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    await expect(runtime.run(slow, {})).rejects.toSatisfy(ExecutionTimeoutError.isInstance);
  });

  it('fails a respond step that breaks mid-stream with Bedrock.ModelStreamErrorException, after its deltas', async () => {
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    const events = await collect(runtime.stream(streamFails, { topic: 'models' }));
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { name: 'StepFailedError', stepId: 'story' } });
    await expect(runtime.run(streamFails, { topic: 'models' })).rejects.toMatchObject({
      error: 'Bedrock.ModelStreamErrorException',
      stepId: 'story',
    });
  });

  it('validates input before chain-start', async () => {
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) =>
          typeof (value as { q?: unknown })?.q === 'string'
            ? { value }
            : { issues: [{ message: 'q must be a string', path: ['q'] }] },
      },
    };
    const chain = defineChain({ name: 'validated', input: schema, steps: [transform('t', { set: { q: 'input.q' } })] });
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    const iterator = runtime.stream(chain, { q: 1 })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toSatisfy(InputValidationError.isInstance);
    await expect(runtime.run(chain, { q: 1 })).rejects.toSatisfy(InputValidationError.isInstance);
  });

  it('aborts while waiting for the execution and while streaming', async () => {
    const runtime = createSfnRuntime({ ...common(), roleArn: ROLE });
    await runtime.run(slow, {}).catch(() => undefined); // deployed
    const waiting = new AbortController();
    const pending = runtime.run(slow, {}, { signal: waiting.signal });
    setTimeout(() => waiting.abort(), 50);
    const started = Date.now();
    await expect(pending).rejects.toSatisfy(AbortedError.isInstance);
    expect(Date.now() - started).toBeLessThan(1_000);

    const streaming = new AbortController();
    const events: ChainEvent[] = [];
    for await (const event of runtime.stream(reference, { question: 'q' }, { signal: streaming.signal })) {
      events.push(event);
      if (event.type === 'text-delta') streaming.abort();
    }
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { name: 'AbortedError' } });
  });

  it('maps Step Functions exceptions to stepwise errors', async () => {
    const runtime = createSfnRuntime({
      ...common(),
      stateMachines: { failing: 'arn:aws:states:us-east-1:123456789012:stateMachine:does-not-exist' },
    });
    const failure = await runtime.run(failing, {}).catch((error: unknown) => error);
    expect(StepwiseError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/StateMachineDoesNotExist/);
  });
});
