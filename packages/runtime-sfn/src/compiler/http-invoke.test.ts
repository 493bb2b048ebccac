import { defineChain, invoke, parallel, transform } from '@stepwise/core';
import { type OpenAiCompatibleServer, startOpenAiCompatible, validateDefinition } from '@stepwise/emulator';
import { type FakeModelsOptions, fakeModels } from '@stepwise/runtime-local';
import { afterEach, describe, expect, it } from 'vitest';
import type { AslJson } from './asl-types';
import { compileChain } from './compile-chain';
import type { CompileWarning } from './compile-options';
import { countIntrinsicCalls, expressionFields } from './intrinsic-calls';
import { policyFor } from './policy-for';
import { runBoth } from './run-both';

const OPENAI = 'arn:aws:events:us-east-1:123456789012:connection/openai/4e0a2b34-0000-4000-8000-000000000001';
const GATEWAY = 'arn:aws:events:us-east-1:123456789012:connection/gateway/4e0a2b34-0000-4000-8000-000000000002';
const providers = {
  openai: { connectionArn: OPENAI },
  compatible: { connectionArn: GATEWAY, endpoint: 'https://gateway.example.com/v1/chat/completions' },
};

const classify = defineChain({
  name: 'classify-any',
  steps: [
    invoke('classify', {
      model: 'openai:gpt-4o-mini',
      system: 'Answer true or false.',
      prompt: 'Is "{{input.text}}" about billing? {{input.meta | json}}',
      prefill: 't',
      output: 'boolean',
      maxTokens: 5,
      temperature: 0,
      stopSequences: ['\n'],
      policy: {
        retry: { errors: ['Provider.RateLimited', 'Provider.ServerError'], maxAttempts: 2, intervalSeconds: 1 },
        catch: { errors: ['Provider.BadRequest'], fallback: [transform('unsure', { set: { value: false } })] },
      },
    }),
  ],
});

describe('invoke on another provider: an HTTP Task', () => {
  it("compiles to http:invoke with the provider's body, the connection, and a ResultSelector of text and usage", () => {
    const machine = compileChain(classify, { providers });
    const task = machine.States.Classify as Record<string, AslJson>;
    expect(task.Resource).toBe('arn:aws:states:::http:invoke');
    const parameters = task.Parameters as Record<string, AslJson>;
    expect(parameters).toMatchObject({
      ApiEndpoint: 'https://api.openai.com/v1/chat/completions',
      Method: 'POST',
      Authentication: { ConnectionArn: OPENAI },
      Headers: { 'Content-Type': 'application/json' },
      RequestBody: {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Answer true or false.' },
          { role: 'user', 'content.$': expect.stringContaining('States.Format') },
          { role: 'assistant', content: 't' },
        ],
        max_completion_tokens: 5,
        temperature: 0,
        stop: ['\n'],
      },
    });
    // A caught step that calls a model writes `{ output, usage }` (ARCHITECTURE.md, Token usage).
    expect((task.ResultSelector as { output: AslJson }).output).toMatchObject({
      'text.$': "States.Format('t{}', $.ResponseBody.choices[0].message.content)",
      usage: {
        'inputTokens.$': '$.ResponseBody.usage.prompt_tokens',
        'outputTokens.$': '$.ResponseBody.usage.completion_tokens',
      },
    });
    // The policy's provider names bring the HTTP Task's own error names.
    expect((task.Retry as Array<{ ErrorEquals: string[] }>)[0]!.ErrorEquals).toEqual([
      'Provider.RateLimited',
      'Provider.ServerError',
      'States.Http.StatusCode.429',
      'States.Http.StatusCode.500',
      'States.Http.StatusCode.502',
      'States.Http.StatusCode.503',
      'States.Http.StatusCode.504',
      'States.Http.StatusCode.529',
    ]);
    expect((task.Catch as Array<{ ErrorEquals: string[] }>)[0]!.ErrorEquals).toContain('States.Http.StatusCode.422');
    expect(validateDefinition(JSON.stringify(machine)).result).toBe('OK');
    for (const field of expressionFields(machine as unknown as AslJson)) {
      expect(countIntrinsicCalls(field.expression), field.at).toBeLessThanOrEqual(10);
    }
  });

  it('warns and compiles a placeholder when a connection is missing; Anthropic goes to its Messages API', () => {
    const warnings: CompileWarning[] = [];
    const chain = defineChain({
      name: 'two-providers',
      steps: [
        invoke('a', { model: 'anthropic:claude-sonnet-4-5', prompt: 'Hi {{input.name}}' }),
        invoke('b', { model: 'compatible:llama3.2', prompt: 'Hi' }),
      ],
    });
    const machine = compileChain(chain, { onWarning: (warning) => warnings.push(warning) });
    expect(warnings.map((warning) => [warning.stepId, warning.code])).toEqual([
      ['a', 'connection-missing'],
      ['b', 'connection-missing'],
    ]);
    const a = (machine.States.A as Record<string, AslJson>).Parameters as Record<string, AslJson>;
    expect(a).toMatchObject({
      ApiEndpoint: 'https://api.anthropic.com/v1/messages',
      Headers: { 'anthropic-version': '2023-06-01' },
      RequestBody: { model: 'claude-sonnet-4-5', max_tokens: 1024 },
    });
    expect((a.Authentication as { ConnectionArn: string }).ConnectionArn).toContain(':000000000000:');
    const b = (machine.States.B as Record<string, AslJson>).Parameters as Record<string, AslJson>;
    expect(b.ApiEndpoint).toBe('https://compatible.invalid/v1/chat/completions');
    expect(validateDefinition(JSON.stringify(machine)).result).toBe('OK');
  });

  it('policyFor: states:InvokeHTTPEndpoint for POST to the endpoints, the connections, their secrets', () => {
    const chain = defineChain({
      name: 'mixed',
      steps: [
        parallel('both', {
          one: [invoke('x', { model: 'openai:gpt-4o-mini', prompt: 'Hi' })],
          two: [invoke('y', { model: 'compatible:llama3.2', prompt: 'Hi' })],
        }),
        invoke('z', { model: 'anthropic.claude-3-haiku-20240307-v1:0', prompt: 'Hi' }),
      ],
    });
    const policy = policyFor(chain, { region: 'us-east-1', accountId: '123456789012', providers });
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual([
      'InvokeModels',
      'InvokeHttpEndpoints',
      'RetrieveConnectionCredentials',
      'ReadConnectionSecrets',
    ]);
    expect(policy.Statement[1]).toEqual({
      Sid: 'InvokeHttpEndpoints',
      Effect: 'Allow',
      Action: ['states:InvokeHTTPEndpoint'],
      Resource: ['arn:aws:states:us-east-1:123456789012:stateMachine:mixed'],
      Condition: {
        StringEquals: { 'states:HTTPMethod': 'POST' },
        StringLike: {
          'states:HTTPEndpoint': [
            'https://api.openai.com/v1/chat/completions',
            'https://gateway.example.com/v1/chat/completions',
          ],
        },
      },
    });
    expect(policy.Statement[2]!.Resource).toEqual([GATEWAY, OPENAI]);
    expect(policy.Statement[3]).toMatchObject({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: [
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/gateway/*',
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/openai/*',
      ],
    });
    expect(() => policyFor(chain, {})).toThrow('needs providers.openai with its connectionArn');
  });
});

describe('invoke on another provider: the same meaning on runtime-local and the emulated HTTP Task', () => {
  const servers: OpenAiCompatibleServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function both(chain: typeof classify, input: unknown, models: FakeModelsOptions) {
    const server = await startOpenAiCompatible({ models: fakeModels(models) });
    servers.push(server);
    return runBoth(chain, input, {
      models,
      compile: { providers },
      http: { endpoints: { 'https://api.openai.com/v1': server.baseUrl } },
    });
  }

  it('answers, retries a 429 and reads text, value and usage alike', async () => {
    const input = { text: 'my invoice is wrong', meta: { plan: 'pro' } };
    const { local, asl } = await both(classify, input, { byStep: { classify: { text: 'rue', throttle: 1 } } });
    expect(local, JSON.stringify(local)).toMatchObject({
      ok: true,
      steps: { classify: { text: 'true', value: true } },
    });
    expect(asl).toEqual(local);
  });

  it('fails alike: Provider.ServerError from a 500 after the retries, with the step id', async () => {
    const { local, asl } = await both(
      classify,
      { text: 'x', meta: null },
      {
        byStep: { classify: { fail: 'InternalServerException' } },
      },
    );
    expect(local).toMatchObject({ ok: false, error: 'Provider.ServerError', stepId: 'classify' });
    expect({ ...asl, message: undefined }).toEqual({ ...local, message: undefined });
  });

  it('catches alike: a 400 goes to the fallback', async () => {
    const { local, asl } = await both(
      classify,
      { text: 'x', meta: 1 },
      {
        byStep: { classify: { fail: 'ValidationException' } },
      },
    );
    expect(local).toMatchObject({ ok: true, steps: { classify: { value: false } } });
    expect(asl).toEqual(local);
  });
});
