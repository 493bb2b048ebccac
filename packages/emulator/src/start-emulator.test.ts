import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartSyncExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { type KnowledgeBase, ModelError, type ModelProvider, type ModelRequest } from '@stepwise/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './start-emulator';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const ROLE = 'arn:aws:iam::123456789012:role/stepwise';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A small scriptable model provider: answers by step id or the last user message; `fail` scripts failures. */
function scriptedModels() {
  const calls: ModelRequest[] = [];
  const state = {
    answers: {} as Record<string, string>,
    fail: undefined as undefined | ((request: ModelRequest, call: number) => Error | undefined),
    failMidStream: undefined as Error | undefined,
  };
  const answer = (request: ModelRequest) => {
    calls.push(request);
    const error = state.fail?.(request, calls.length);
    if (error) throw error;
    return state.answers[request.stepId ?? ''] ?? `echo: ${request.messages.at(-1)?.content ?? ''}`;
  };
  const models: ModelProvider = {
    specificationVersion: 'v1',
    provider: 'scripted',
    async doInvoke(request) {
      const text = answer(request);
      return { text, usage: { inputTokens: 10, outputTokens: text.split(' ').length }, stopReason: 'end_turn' };
    },
    async *doStream(request) {
      const text = answer(request);
      const words = text.split(' ');
      for (const [index, word] of words.entries()) {
        if (index === 1 && state.failMidStream) throw state.failMidStream;
        yield { type: 'text-delta', delta: index === 0 ? word : ` ${word}` };
      }
      yield { type: 'finish', usage: { inputTokens: 7, outputTokens: words.length }, stopReason: 'end_turn' };
    },
  };
  return { models, calls, state };
}

const docs: KnowledgeBase = {
  specificationVersion: 'v1',
  async retrieve({ query, topK }) {
    return [
      { text: `Refunds take 5 days (${query})`, score: 0.9, source: 's3://docs/refunds.md' },
      { text: 'Shipping is free', score: 0.4 },
    ].slice(0, topK);
  },
};

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
}

const invokeState = (next: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Comment: 'step:classify',
  Resource: 'arn:aws:states:::bedrock:invokeModel',
  Parameters: {
    ModelId: HAIKU,
    Body: {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      messages: [{ role: 'user', 'content.$': '$.input.question' }],
    },
  },
  ResultSelector: { 'text.$': '$.Body.content[0].text', 'usage.$': '$.Body.usage' },
  ResultPath: '$.steps.classify',
  ...extra,
  ...next,
});

/** invoke -> retrieve -> task, then End: one of each Task resource. */
const pipeline = {
  StartAt: 'Classify',
  States: {
    Classify: invokeState({ Next: 'Search' }),
    Search: {
      Type: 'Task',
      Comment: 'step:search',
      Resource: 'arn:aws:states:::aws-sdk:bedrockagentruntime:retrieve',
      Parameters: {
        KnowledgeBaseId: 'KB1',
        RetrievalQuery: { 'Text.$': '$.input.question' },
        RetrievalConfiguration: { VectorSearchConfiguration: { NumberOfResults: 1 } },
      },
      ResultSelector: { 'results.$': '$.RetrievalResults' },
      ResultPath: '$.steps.search',
      Next: 'Charge',
    },
    Charge: {
      Type: 'Task',
      Comment: 'step:charge',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge', 'Payload.$': '$.input' },
      ResultSelector: { 'value.$': '$.Payload' },
      ResultPath: '$.steps.charge',
      End: true,
    },
  },
};

describe('startEmulator: client disconnects and stray requests', () => {
  it('aborts the fake stream when the client goes away, and answers unknown routes with 404', async () => {
    let aborted: Promise<void> | undefined;
    const slow: ModelProvider = {
      specificationVersion: 'v1',
      provider: 'slow',
      async doInvoke() {
        return { text: 'x', usage: { inputTokens: 1, outputTokens: 1 }, stopReason: 'end_turn' };
      },
      async *doStream(_request, options) {
        const signal = options?.signal as AbortSignal;
        aborted = new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        yield { type: 'text-delta', delta: 'first' };
        await new Promise((resolve) => setTimeout(resolve, 10_000).unref());
        yield { type: 'finish', usage: { inputTokens: 1, outputTokens: 1 }, stopReason: 'end_turn' };
      },
    };
    const emulator = await startEmulator({ models: slow });
    const bedrock = new BedrockRuntimeClient({
      endpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    try {
      const controller = new AbortController();
      const response = await bedrock.send(
        new ConverseStreamCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
        { abortSignal: controller.signal },
      );
      // What the SFN runtime does when its caller aborts: abort the request and leave the loop.
      for await (const event of response.stream ?? []) {
        if (event.contentBlockDelta) {
          controller.abort();
          break;
        }
      }
      await expect(aborted).resolves.toBeUndefined();

      const stray = await fetch(`${emulator.endpoint}/nowhere`, { method: 'POST', body: '{}' });
      expect(stray.status).toBe(404);
      expect(await stray.json()).toMatchObject({ message: expect.stringContaining('/nowhere') });
    } finally {
      bedrock.destroy();
      await emulator.close();
    }
  });
});

describe('startEmulator', () => {
  const { models, calls, state } = scriptedModels();
  let emulator: Emulator;
  let sfn: SFNClient;
  let bedrock: BedrockRuntimeClient;
  const handlerCalls: unknown[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      models,
      knowledgeBases: { KB1: docs },
      handlers: {
        charge: async (input) => {
          handlerCalls.push(input);
          const { amount } = input as { amount?: number };
          if (amount === 0) throw new PaymentDeclined('Card declined');
          if (amount === -1) await new Promise((resolve) => setTimeout(resolve, 3_000));
          return { charged: amount };
        },
      },
      retryDelayMs: 0,
    });
    const common = { endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
    sfn = new SFNClient({ ...common, endpoint: emulator.sfnEndpoint, disableHostPrefix: true });
    bedrock = new BedrockRuntimeClient({ ...common, endpoint: emulator.bedrockEndpoint });
  });

  afterAll(async () => {
    sfn.destroy();
    bedrock.destroy();
    await emulator.close();
  });

  beforeEach(() => {
    calls.length = 0;
    handlerCalls.length = 0;
    state.answers = {};
    state.fail = undefined;
    state.failMidStream = undefined;
  });

  const create = async (name: string, definition: unknown, type: 'EXPRESS' | 'STANDARD' = 'EXPRESS') => {
    const created = await sfn.send(
      new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, type }),
    );
    return created.stateMachineArn as string;
  };
  const start = (stateMachineArn: string, input: unknown) =>
    sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));

  describe('Step Functions control plane', () => {
    it('creates, describes, updates, lists and deletes state machines', async () => {
      const arn = await create('crud-one', pipeline);
      expect(arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:crud-one');

      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(described).toMatchObject({ name: 'crud-one', type: 'EXPRESS', roleArn: ROLE, status: 'ACTIVE' });
      expect(JSON.parse(described.definition as string)).toEqual(pipeline);
      expect(described.creationDate).toBeInstanceOf(Date);
      expect(Math.abs((described.creationDate as Date).getTime() - Date.now())).toBeLessThan(60_000);

      const changed = { ...pipeline, Comment: 'v2' };
      const updated = await sfn.send(
        new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify(changed) }),
      );
      expect(updated.updateDate).toBeInstanceOf(Date);
      const after = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(JSON.parse(after.definition as string).Comment).toBe('v2');
      expect(after.revisionId).not.toBe(described.revisionId);

      await create('crud-two', pipeline);
      const listed = await sfn.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines?.map((machine) => machine.name)).toEqual(
        expect.arrayContaining(['crud-one', 'crud-two']),
      );
      const page = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
      expect(page.stateMachines).toHaveLength(1);
      expect(page.nextToken).toBeTypeOf('string');
      const next = await sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken: page.nextToken }));
      expect(next.stateMachines?.[0]?.name).not.toBe(page.stateMachines?.[0]?.name);

      await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
      await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
        name: 'StateMachineDoesNotExist',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('creates idempotently and refuses a different machine under the same name', async () => {
      const first = await create('same-name', pipeline);
      expect(await create('same-name', pipeline)).toBe(first);
      await expect(create('same-name', { ...pipeline, Comment: 'other' })).rejects.toMatchObject({
        name: 'StateMachineAlreadyExists',
      });
    });

    it('answers bad requests with the service errors', async () => {
      await expect(create('bad name!', pipeline)).rejects.toMatchObject({ name: 'InvalidName' });
      await expect(create('invalid-def', { StartAt: 'Nope', States: {} })).rejects.toMatchObject({
        name: 'InvalidDefinition',
      });
      await expect(
        sfn.send(new CreateStateMachineCommand({ name: 'bad-json', definition: '{', roleArn: ROLE })),
      ).rejects.toMatchObject({ name: 'InvalidDefinition' });
      await expect(
        sfn.send(
          new CreateStateMachineCommand({ name: 'bad-role', definition: JSON.stringify(pipeline), roleArn: 'x' }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidArn' });
      await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' }))).rejects.toMatchObject({
        name: 'InvalidArn',
      });
      const arn = await create('update-nothing', pipeline);
      await expect(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
        name: 'MissingRequiredParameter',
      });
      await expect(
        sfn.send(
          new UpdateStateMachineCommand({
            stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing',
            definition: JSON.stringify(pipeline),
          }),
        ),
      ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    });

    it('validates definitions with diagnostics', async () => {
      const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(pipeline) }));
      expect(ok).toMatchObject({ result: 'OK', diagnostics: [] });
      const bad = await sfn.send(
        new ValidateStateMachineDefinitionCommand({
          definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Nope', End: true } } }),
        }),
      );
      expect(bad.result).toBe('FAIL');
      expect(bad.diagnostics?.[0]).toMatchObject({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED' });
      const notJson = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{' }));
      expect(notJson.diagnostics?.[0]?.code).toBe('INVALID_JSON_DESCRIPTION');
    });

    it('answers unknown operations and malformed bodies with JSON 1.0 errors, and keeps serving', async () => {
      const post = (target: string, body: string) =>
        fetch(emulator.sfnEndpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
          body,
        });
      const unknown = await post('AWSStepFunctions.StartExecution', '{}');
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toMatchObject({ __type: expect.stringContaining('UnknownOperationException') });
      const malformed = await post('AWSStepFunctions.DescribeStateMachine', '{not json');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ __type: 'com.amazonaws.sfn#SerializationException' });
      const missing = await post('AWSStepFunctions.DescribeStateMachine', '{}');
      expect(await missing.json()).toMatchObject({ __type: 'com.amazonaws.sfn#ValidationException' });
      const listed = await sfn.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines).toBeDefined();
    });
  });

  describe('StartSyncExecution', () => {
    it('runs each Task resource against the fakes, with the step id from the state comment', async () => {
      state.answers.classify = 'billing';
      const arn = await create('pipeline', pipeline);
      const before = Date.now();
      const result = await start(arn, { input: { question: 'refund?', amount: 12 } });
      expect(result.status).toBe('SUCCEEDED');
      expect(result.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:pipeline:/);
      expect((result.startDate as Date).getTime()).toBeGreaterThanOrEqual(before - 1_000);
      expect((result.stopDate as Date).getTime()).toBeGreaterThanOrEqual((result.startDate as Date).getTime());
      const output = JSON.parse(result.output as string);
      expect(output.steps.classify).toEqual({ text: 'billing', usage: { input_tokens: 10, output_tokens: 1 } });
      expect(output.steps.search.results).toEqual([
        {
          Content: { Text: 'Refunds take 5 days (refund?)', Type: 'TEXT' },
          Location: { Type: 'CUSTOM', CustomDocumentLocation: { Id: 's3://docs/refunds.md' } },
          Metadata: { 'x-amz-bedrock-kb-source-uri': 's3://docs/refunds.md' },
          Score: 0.9,
        },
      ]);
      expect(output.steps.charge).toEqual({ value: { charged: 12 } });
      expect(calls[0]).toMatchObject({
        modelId: HAIKU,
        stepId: 'classify',
        maxTokens: 10,
        messages: [{ role: 'user', content: 'refund?' }],
      });
      expect(handlerCalls).toEqual([{ question: 'refund?', amount: 12 }]);
    });

    it('fails with the ASL name of a model error, and with a handler error name and Lambda cause', async () => {
      const arn = await create('pipeline-fail', pipeline);
      state.fail = () => new ModelError('Too many requests', { error: 'Bedrock.ThrottlingException', statusCode: 429 });
      const throttled = await start(arn, { input: { question: 'q', amount: 1 } });
      expect(throttled).toMatchObject({
        status: 'FAILED',
        error: 'Bedrock.ThrottlingException',
        cause: 'Too many requests',
      });
      expect(throttled.output).toBeUndefined();

      state.fail = undefined;
      const declined = await start(arn, { input: { question: 'q', amount: 0 } });
      expect(declined).toMatchObject({ status: 'FAILED', error: 'PaymentDeclined' });
      expect(JSON.parse(declined.cause as string)).toMatchObject({
        errorType: 'PaymentDeclined',
        errorMessage: 'Card declined',
      });
    });

    it('lets Retry and Catch match those names', async () => {
      const definition = {
        StartAt: 'Classify',
        States: {
          Classify: invokeState(
            { Next: 'Charge' },
            { Retry: [{ ErrorEquals: ['Bedrock.ThrottlingException'], MaxAttempts: 2, IntervalSeconds: 5 }] },
          ),
          Charge: {
            ...pipeline.States.Charge,
            End: undefined,
            Next: 'Done',
            Catch: [{ ErrorEquals: ['PaymentDeclined'], ResultPath: '$.caught', Next: 'Declined' }],
          },
          Declined: {
            Type: 'Pass',
            Comment: 'step:declined',
            Result: 'declined',
            ResultPath: '$.steps.charge',
            Next: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      };
      const arn = await create('policies', definition);
      state.fail = (_request, call) =>
        call <= 2 ? new ModelError('slow down', { error: 'Bedrock.ThrottlingException', statusCode: 429 }) : undefined;
      const result = await start(arn, { input: { question: 'q', amount: 0 } });
      expect(result.status).toBe('SUCCEEDED');
      expect(calls).toHaveLength(3);
      const output = JSON.parse(result.output as string);
      expect(output.steps.charge).toBe('declined');
      expect(output.caught.Error).toBe('PaymentDeclined');
    });

    it('reports TIMED_OUT when the execution runs past its TimeoutSeconds', async () => {
      const arn = await create('slow', { ...pipeline, TimeoutSeconds: 1 });
      const result = await start(arn, { input: { question: 'q', amount: -1 } });
      expect(result).toMatchObject({ status: 'TIMED_OUT' });
      expect(result.output).toBeUndefined();
    });

    it('leaves input and output out with includedData METADATA_ONLY', async () => {
      const arn = await create('metadata-only', pipeline);
      const result = await sfn.send(
        new StartSyncExecutionCommand({
          stateMachineArn: arn,
          input: JSON.stringify({ input: { question: 'q', amount: 1 } }),
          includedData: 'METADATA_ONLY',
        }),
      );
      expect(result).toMatchObject({ status: 'SUCCEEDED', outputDetails: { included: false } });
      expect(result.output).toBeUndefined();
      expect(result.input).toBeUndefined();
    });

    it('rejects bad inputs, unknown machines and STANDARD machines with the service errors', async () => {
      const arn = await create('inputs', pipeline);
      await expect(
        sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{oops' })),
      ).rejects.toMatchObject({
        name: 'InvalidExecutionInput',
      });
      await expect(start('arn:aws:states:us-east-1:123456789012:stateMachine:nothing-here', {})).rejects.toMatchObject({
        name: 'StateMachineDoesNotExist',
        message: expect.stringContaining('nothing-here'),
      });
      const standard = await create('standard', pipeline, 'STANDARD');
      await expect(start(standard, {})).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
    });

    it('fails States.Runtime, past Retry and Catch, when a ResultSelector cannot parse the answer', async () => {
      const definition = {
        StartAt: 'Classify',
        States: {
          Classify: invokeState(
            { End: true },
            {
              ResultSelector: { 'value.$': 'States.StringToJson($.Body.content[0].text)' },
              Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }],
              Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            },
          ),
          Caught: { Type: 'Succeed' },
        },
      };
      const arn = await create('selector-runtime', definition);
      state.answers.classify = 'maybe';
      const result = await start(arn, { input: { question: 'q' } });
      expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(calls).toHaveLength(1);
      state.answers.classify = 'true';
      const fine = await start(arn, { input: { question: 'q' } });
      expect(JSON.parse(fine.output as string).steps.classify).toEqual({ value: true });
    });

    it('fails States.Runtime on a missing path, as Step Functions does', async () => {
      const arn = await create('runtime-error', pipeline);
      const result = await start(arn, { input: {} });
      expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(result.cause).toMatch(
        /^An error occurred while executing the state 'Classify' \(entered at the event id #2\)\. /,
      );
    });
  });

  describe('Bedrock Runtime', () => {
    const anthropicBody = (content: string) =>
      JSON.stringify({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 50,
        messages: [{ role: 'user', content }],
      });

    it('InvokeModel answers in the family shape, with the model id percent-decoded', async () => {
      const response = await bedrock.send(
        new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody('hello there'), contentType: 'application/json' }),
      );
      const body = JSON.parse(new TextDecoder().decode(response.body));
      expect(body).toMatchObject({
        content: [{ type: 'text', text: 'echo: hello there' }],
        usage: { input_tokens: 10, output_tokens: 3 },
      });
      expect(calls[0]?.modelId).toBe(HAIKU);
    });

    it('InvokeModelWithResponseStream sends chunk events in the family shape', async () => {
      const response = await bedrock.send(
        new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody('a b c') }),
      );
      const chunks: Array<Record<string, unknown>> = [];
      for await (const event of response.body ?? []) {
        if (event.chunk?.bytes) chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
      }
      const text = chunks
        .filter((chunk) => chunk.type === 'content_block_delta')
        .map((chunk) => (chunk.delta as { text: string }).text)
        .join('');
      expect(text).toBe('echo: a b c');
      expect(chunks[0]?.type).toBe('message_start');
      expect(chunks.at(-1)?.type).toBe('message_stop');
    });

    it('Converse answers uniformly and passes requestMetadata.stepwiseStepId to the fake', async () => {
      state.answers.answer = 'forty two';
      const response = await bedrock.send(
        new ConverseCommand({
          modelId: NOVA,
          system: [{ text: 'Be brief.' }],
          messages: [{ role: 'user', content: [{ text: 'meaning?' }] }],
          inferenceConfig: { maxTokens: 20, temperature: 0.2 },
          requestMetadata: { stepwiseStepId: 'answer' },
        }),
      );
      expect(response.output?.message?.content?.[0]?.text).toBe('forty two');
      expect(response.stopReason).toBe('end_turn');
      expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 2, totalTokens: 12 });
      expect(calls[0]).toMatchObject({ stepId: 'answer', system: 'Be brief.', maxTokens: 20, temperature: 0.2 });
    });

    it('ConverseStream sends messageStart, deltas, contentBlockStop, messageStop and metadata', async () => {
      const response = await bedrock.send(
        new ConverseStreamCommand({
          modelId: HAIKU,
          messages: [{ role: 'user', content: [{ text: 'one two' }] }],
          requestMetadata: { stepwiseStepId: 'final' },
        }),
      );
      const kinds: string[] = [];
      let text = '';
      for await (const event of response.stream ?? []) {
        const kind = Object.keys(event).find(
          (key) => (event as unknown as Record<string, unknown>)[key] !== undefined,
        ) as string;
        kinds.push(kind);
        if (event.contentBlockDelta?.delta?.text) text += event.contentBlockDelta.delta.text;
        if (event.metadata) expect(event.metadata.usage).toEqual({ inputTokens: 7, outputTokens: 3, totalTokens: 10 });
      }
      expect(text).toBe('echo: one two');
      expect(kinds[0]).toBe('messageStart');
      expect(kinds.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
      expect(calls[0]?.stepId).toBe('final');
    });

    it('answers failures with the error type header and status', async () => {
      state.fail = () => new ModelError('Too many requests', { error: 'Bedrock.ThrottlingException', statusCode: 429 });
      await expect(
        bedrock.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody('x') })),
      ).rejects.toMatchObject({
        name: 'ThrottlingException',
        message: 'Too many requests',
        $metadata: { httpStatusCode: 429 },
      });
      await expect(
        bedrock.send(
          new ConverseStreamCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'x' }] }] }),
        ),
      ).rejects.toMatchObject({ name: 'ThrottlingException' });
      state.fail = undefined;
      await expect(
        bedrock.send(new InvokeModelCommand({ modelId: 'cohere.command-r-v1:0', body: '{}' })),
      ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
      await expect(
        bedrock.send(new InvokeModelCommand({ modelId: HAIKU, body: JSON.stringify({ messages: [] }) })),
      ).rejects.toMatchObject({ name: 'ValidationException' });
      await expect(bedrock.send(new ConverseCommand({ modelId: HAIKU, messages: [] }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
    });

    it('sends in-stream exception frames for failures mid-stream', async () => {
      state.failMidStream = new ModelError('The model stopped', { error: 'Bedrock.ModelStreamErrorException' });
      const converse = await bedrock.send(
        new ConverseStreamCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'a b c' }] }] }),
      );
      const seen: string[] = [];
      await expect(
        (async () => {
          for await (const event of converse.stream ?? []) {
            if (event.contentBlockDelta?.delta?.text) seen.push(event.contentBlockDelta.delta.text);
          }
        })(),
      ).rejects.toMatchObject({ name: 'ModelStreamErrorException', message: 'The model stopped' });
      expect(seen).toEqual(['echo:']);

      state.failMidStream = new ModelError('slow down', { error: 'Bedrock.ThrottlingException', statusCode: 429 });
      const invoke = await bedrock.send(
        new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody('a b c') }),
      );
      await expect(
        (async () => {
          for await (const _event of invoke.body ?? []) {
            // drain
          }
        })(),
      ).rejects.toMatchObject({ name: 'ThrottlingException', message: 'slow down' });
    });
  });
});
