import { fakeModels } from '@stepwise/runtime-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorServices } from './emulator-services';
import { executeStateMachine } from './execute-state-machine';
import { type OpenAiCompatibleServer, startOpenAiCompatible } from './openai-compatible-service';

const CONNECTION = 'arn:aws:events:us-east-1:123456789012:connection/openai/4e0a2b34-0000-4000-8000-000000000001';

function httpTask(extra: Record<string, unknown> = {}, parameters: Record<string, unknown> = {}) {
  return {
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Comment: 'step:classify',
        Resource: 'arn:aws:states:::http:invoke',
        Parameters: {
          ApiEndpoint: 'https://api.openai.com/v1/chat/completions',
          Method: 'POST',
          Authentication: { ConnectionArn: CONNECTION },
          Headers: { 'Content-Type': 'application/json' },
          RequestBody: { model: 'gpt-4o-mini', 'messages.$': '$.messages' },
          ...parameters,
        },
        ...extra,
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

const input = { messages: [{ role: 'user', content: 'Is the sky blue?' }] };

describe('http:invoke on the emulator', () => {
  let server: OpenAiCompatibleServer;
  let services: EmulatorServices;
  beforeAll(async () => {
    server = await startOpenAiCompatible({
      models: fakeModels({ byStep: { classify: { text: 'true', throttle: 1 } } }),
      apiKey: 'sk-connection',
    });
    services = {
      models: fakeModels(),
      knowledgeBases: {},
      handlers: {},
      http: {
        endpoints: { 'https://api.openai.com/v1': server.baseUrl, 'https://down.example.com': 'http://127.0.0.1:1' },
        connections: { [CONNECTION]: { headers: { Authorization: 'Bearer sk-connection' } } },
      },
    };
  });
  afterAll(() => server.close());

  it("forwards to the mapped loopback URL with the connection's key and the step id; a 429 is States.Http.StatusCode.429", async () => {
    const caught = await executeStateMachine(
      httpTask({ Catch: [{ ErrorEquals: ['States.Http.StatusCode.429'], Next: 'Caught', ResultPath: '$.error' }] }),
      input,
      services,
    );
    expect(caught.status).toBe('SUCCEEDED');
    expect(JSON.parse((caught as { output: string }).output).error.Error).toBe('States.Http.StatusCode.429');
    const outcome = await executeStateMachine(httpTask(), input, services);
    expect(outcome.status).toBe('SUCCEEDED');
    const result = JSON.parse((outcome as { output: string }).output);
    expect(result).toMatchObject({
      StatusCode: 200,
      StatusText: 'OK',
      ResponseBody: {
        object: 'chat.completion',
        choices: [{ message: { role: 'assistant', content: 'true' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 1 },
      },
    });
    expect(result.Headers['content-type']).toEqual(['application/json']);
    const call = server.calls.at(-1)!;
    expect(call.headers.authorization).toBe('Bearer sk-connection');
    expect(call.request).toMatchObject({ stepId: 'classify', modelId: 'openai:gpt-4o-mini' });
  });

  it('retries by the HTTP Task error name', async () => {
    const retried = await startOpenAiCompatible({ models: fakeModels({ default: { text: 'ok', throttle: 2 } }) });
    try {
      const outcome = await executeStateMachine(
        httpTask({ Retry: [{ ErrorEquals: ['States.Http.StatusCode.429'], MaxAttempts: 2 }] }),
        input,
        { ...services, http: { endpoints: { 'https://api.openai.com/v1': retried.baseUrl } } },
        { retryDelayMs: 0 },
      );
      expect(outcome.status).toBe('SUCCEEDED');
      expect(retried.calls).toHaveLength(3);
    } finally {
      await retried.close();
    }
  });

  it('fails loudly where AWS would not call, and with States.Http.Socket when nothing answers', async () => {
    const failed = async (definition: Record<string, unknown>) => executeStateMachine(definition, input, services);
    expect(await failed(httpTask({}, { ApiEndpoint: 'https://api.elsewhere.com/v1/chat' }))).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: expect.stringContaining('forwards no HTTP Task to https://api.elsewhere.com/v1/chat'),
    });
    expect(await failed(httpTask({}, { Authentication: {} }))).toMatchObject({
      error: 'States.Runtime',
      cause: expect.stringContaining('Authentication.ConnectionArn'),
    });
    expect(await failed(httpTask({}, { ApiEndpoint: 'http://api.openai.com/v1/chat/completions' }))).toMatchObject({
      error: 'States.Runtime',
      cause: expect.stringContaining('https URL'),
    });
    expect(await failed(httpTask({}, { ApiEndpoint: 'https://down.example.com/v1' }))).toMatchObject({
      status: 'FAILED',
      error: 'States.Http.Socket',
    });
  });
});
