import { describe, expect, it } from 'vitest';
import { ModelError } from '../../errors/model-error';
import { getModelAdapter } from '../get-model-adapter';
import type { ModelFamilyAdapter } from '../model-family-adapter';
import type { ModelRequest, ModelResponse, ModelStreamPart, StopReason } from '../model-provider';
import anthropicRequest from './__fixtures__/anthropic-request.json';
import anthropicResponse from './__fixtures__/anthropic-response.json';
import anthropicStream from './__fixtures__/anthropic-stream.json';
import metaLlamaRequest from './__fixtures__/meta-llama-request.json';
import metaLlamaResponse from './__fixtures__/meta-llama-response.json';
import metaLlamaStream from './__fixtures__/meta-llama-stream.json';
import mistralRequest from './__fixtures__/mistral-request.json';
import mistralResponse from './__fixtures__/mistral-response.json';
import mistralStream from './__fixtures__/mistral-stream.json';
import novaRequest from './__fixtures__/nova-request.json';
import novaResponse from './__fixtures__/nova-response.json';
import novaStream from './__fixtures__/nova-stream.json';
import { anthropicAdapter } from './anthropic';
import { metaLlamaAdapter } from './meta-llama';
import { mistralAdapter } from './mistral';
import { novaAdapter } from './nova';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';
const MISTRAL = 'mistral.mistral-large-2402-v1:0';

const full = (modelId: string): ModelRequest => ({
  modelId,
  system: 'You are terse.',
  messages: [
    { role: 'user', content: 'Capital of France?' },
    { role: 'assistant', content: 'Paris.' },
    { role: 'user', content: 'And Spain? Answer in JSON, with "quotes" and {braces} and émoji 🚀.' },
    { role: 'assistant', content: '{' },
  ],
  maxTokens: 200,
  temperature: 0.3,
  topP: 0.9,
  stopSequences: ['END'],
});
const minimal = (modelId: string): ModelRequest => ({ modelId, messages: [{ role: 'user', content: 'Hi' }] });

async function* fromArray<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A JSONPath reader for the `$.a.b[0].c` subset ResultSelectors use. */
function readJsonPath(document: unknown, path: string): unknown {
  expect(path).toMatch(/^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+$/);
  let value: unknown = document;
  for (const [, key, index] of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) {
    value = (value as Record<string, unknown>)[key ?? Number(index)];
  }
  return value;
}

function expectValidation(run: () => unknown, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'Bedrock.ValidationException', statusCode: 400 });
    expect((error as Error).message).toMatch(message);
    return;
  }
  expect.unreachable('expected a ValidationException');
}

describe('getModelAdapter', () => {
  it('picks the adapter by family, behind inference-profile prefixes', () => {
    expect(getModelAdapter(CLAUDE)).toBe(anthropicAdapter);
    expect(getModelAdapter('us.anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(anthropicAdapter);
    expect(getModelAdapter(LLAMA)).toBe(metaLlamaAdapter);
    expect(getModelAdapter('us.meta.llama3-2-1b-instruct-v1:0')).toBe(metaLlamaAdapter);
    expect(getModelAdapter(NOVA)).toBe(novaAdapter);
    expect(getModelAdapter('amazon.nova-micro-v1:0')).toBe(novaAdapter);
    expect(getModelAdapter(MISTRAL)).toBe(mistralAdapter);
    expect(() => getModelAdapter('cohere.command-r-v1:0')).toThrow(/Model "cohere.command-r-v1:0" is not supported/);
  });
});

describe('buildBody', () => {
  it('anthropic: messages API with a prefill as the final assistant message', () => {
    expect(anthropicAdapter.buildBody(full(CLAUDE))).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 200,
      system: 'You are terse.',
      messages: full(CLAUDE).messages,
      temperature: 0.3,
      top_p: 0.9,
      stop_sequences: ['END'],
    });
    expect(anthropicAdapter.buildBody(minimal(CLAUDE))).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('anthropic: drops the trailing whitespace of a prefill, which Claude rejects', () => {
    const request: ModelRequest = {
      modelId: CLAUDE,
      messages: [
        { role: 'user', content: 'Name a colour ' },
        { role: 'assistant', content: 'Colour: ' },
      ],
    };
    expect(anthropicAdapter.buildBody(request).messages).toEqual([
      { role: 'user', content: 'Name a colour ' },
      { role: 'assistant', content: 'Colour:' },
    ]);
  });

  it('meta: Llama 3 chat prompt ending with the assistant header and the prefill', () => {
    expect(metaLlamaAdapter.buildBody(full(LLAMA))).toEqual({
      prompt:
        '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nCapital of France?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nParis.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nAnd Spain? Answer in JSON, with "quotes" and {braces} and émoji 🚀.<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n{',
      max_gen_len: 200,
      temperature: 0.3,
      top_p: 0.9,
    });
    expect(metaLlamaAdapter.buildBody(minimal(LLAMA))).toEqual({
      prompt:
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    });
  });

  it('nova: content blocks, system blocks and inferenceConfig', () => {
    expect(novaAdapter.buildBody(full(NOVA))).toEqual({
      system: [{ text: 'You are terse.' }],
      messages: full(NOVA).messages.map((message) => ({ role: message.role, content: [{ text: message.content }] })),
      inferenceConfig: { maxTokens: 200, temperature: 0.3, topP: 0.9, stopSequences: ['END'] },
    });
    expect(novaAdapter.buildBody(minimal(NOVA))).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('mistral: [INST] prompt with the system prompt in the first turn', () => {
    expect(mistralAdapter.buildBody(full(MISTRAL))).toEqual({
      prompt:
        '<s>[INST] You are terse.\n\nCapital of France? [/INST] Paris.</s>' +
        '[INST] And Spain? Answer in JSON, with "quotes" and {braces} and émoji 🚀. [/INST] {',
      max_tokens: 200,
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
    });
    expect(mistralAdapter.buildBody(minimal(MISTRAL))).toEqual({ prompt: '<s>[INST] Hi [/INST]' });
  });
});

describe('parseBody round-trips buildBody', () => {
  const cases: Array<[string, ModelFamilyAdapter, string]> = [
    ['anthropic', anthropicAdapter, CLAUDE],
    ['meta', metaLlamaAdapter, LLAMA],
    ['amazon-nova', novaAdapter, NOVA],
    ['mistral', mistralAdapter, MISTRAL],
  ];
  it.each(cases)('%s: the wire body survives parse and rebuild', (_, adapter, modelId) => {
    for (const request of [full(modelId), minimal(modelId)]) {
      const body = adapter.buildBody(request);
      expect(adapter.buildBody(adapter.parseBody(modelId, body))).toEqual(body);
      expect(adapter.parseBody(modelId, JSON.stringify(body))).toEqual(adapter.parseBody(modelId, body));
      expect(adapter.parseBody(modelId, new TextEncoder().encode(JSON.stringify(body)))).toEqual(
        adapter.parseBody(modelId, body),
      );
    }
  });

  it('anthropic and nova give back the very request', () => {
    expect(anthropicAdapter.parseBody(CLAUDE, anthropicAdapter.buildBody(full(CLAUDE)))).toEqual(full(CLAUDE));
    expect(novaAdapter.parseBody(NOVA, novaAdapter.buildBody(full(NOVA)))).toEqual(full(NOVA));
    expect(novaAdapter.parseBody(NOVA, novaAdapter.buildBody(minimal(NOVA)))).toEqual(minimal(NOVA));
  });

  it('meta gives back the request without stop sequences (Llama takes none)', () => {
    const { stopSequences: _, ...expected } = full(LLAMA);
    expect(metaLlamaAdapter.parseBody(LLAMA, metaLlamaAdapter.buildBody(full(LLAMA)))).toEqual(expected);
    expect(metaLlamaAdapter.parseBody(LLAMA, metaLlamaAdapter.buildBody(minimal(LLAMA)))).toEqual(minimal(LLAMA));
  });

  it('mistral folds the system prompt into the first user turn', () => {
    const { system: _, ...rest } = full(MISTRAL);
    const parsed = mistralAdapter.parseBody(MISTRAL, mistralAdapter.buildBody(full(MISTRAL)));
    expect(parsed).toEqual({
      ...rest,
      messages: [{ role: 'user', content: 'You are terse.\n\nCapital of France?' }, ...rest.messages.slice(1)],
    });
    expect(mistralAdapter.parseBody(MISTRAL, mistralAdapter.buildBody(minimal(MISTRAL)))).toEqual(minimal(MISTRAL));
  });
});

describe('parseBody of hand-written bodies', () => {
  const conversation = [
    { role: 'user', content: 'Capital of France?' },
    { role: 'assistant', content: 'Paris.' },
    { role: 'user', content: 'And Spain?' },
  ];
  it('anthropic: text blocks in system and content', () => {
    expect(anthropicAdapter.parseBody(CLAUDE, anthropicRequest)).toEqual({
      modelId: CLAUDE,
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'Capital of France?' },
        { role: 'assistant', content: 'Paris.' },
        { role: 'user', content: 'And Spain?' },
      ],
      maxTokens: 300,
      temperature: 0.2,
      topP: 0.9,
      stopSequences: ['\n\nHuman:'],
    });
  });
  it('meta: a multi-turn chat prompt, and a bare prompt as one user message', () => {
    expect(metaLlamaAdapter.parseBody(LLAMA, metaLlamaRequest)).toEqual({
      modelId: LLAMA,
      system: 'You are terse.',
      messages: conversation,
      maxTokens: 512,
      temperature: 0.5,
      topP: 0.9,
    });
    expect(metaLlamaAdapter.parseBody(LLAMA, { prompt: 'Tell me a joke' })).toEqual({
      modelId: LLAMA,
      messages: [{ role: 'user', content: 'Tell me a joke' }],
    });
  });
  it('nova: snake_case inferenceConfig aliases', () => {
    expect(novaAdapter.parseBody(NOVA, novaRequest)).toEqual({
      modelId: NOVA,
      system: 'You are terse.',
      messages: conversation,
      maxTokens: 300,
      temperature: 0.7,
      topP: 0.9,
      stopSequences: ['END'],
    });
  });
  it('mistral: a multi-turn prompt, and a bare prompt as one user message', () => {
    expect(mistralAdapter.parseBody(MISTRAL, mistralRequest)).toEqual({
      modelId: MISTRAL,
      messages: conversation,
      maxTokens: 200,
      temperature: 0.5,
      topP: 0.9,
      stopSequences: ['</s>'],
    });
    expect(mistralAdapter.parseBody(MISTRAL, { prompt: 'Hello' })).toEqual({
      modelId: MISTRAL,
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });
});

describe('parseBody rejects bad bodies with Bedrock.ValidationException', () => {
  const good = anthropicAdapter.buildBody(minimal(CLAUDE));
  it('anthropic', () => {
    expectValidation(() => anthropicAdapter.parseBody(CLAUDE, '{not json'), /not valid JSON/);
    expectValidation(() => anthropicAdapter.parseBody(CLAUDE, [1, 2]), /must be a JSON object/);
    expectValidation(
      () => anthropicAdapter.parseBody(CLAUDE, { ...good, anthropic_version: undefined }),
      /anthropic_version/,
    );
    expectValidation(() => anthropicAdapter.parseBody(CLAUDE, { ...good, max_tokens: undefined }), /max_tokens/);
    expectValidation(
      () => anthropicAdapter.parseBody(CLAUDE, { ...good, max_tokens: '10' }),
      /max_tokens must be a number/,
    );
    expectValidation(() => anthropicAdapter.parseBody(CLAUDE, { ...good, messages: 'hi' }), /messages/);
    expectValidation(() => anthropicAdapter.parseBody(CLAUDE, { ...good, messages: [] }), /must not be empty/);
    expectValidation(
      () => anthropicAdapter.parseBody(CLAUDE, { ...good, messages: [{ role: 'system', content: 'x' }] }),
      /messages\[0\]\.role/,
    );
    expectValidation(
      () => anthropicAdapter.parseBody(CLAUDE, { ...good, messages: [{ role: 'assistant', content: 'x' }] }),
      /first message must have the role "user"/,
    );
    expectValidation(
      () =>
        anthropicAdapter.parseBody(CLAUDE, {
          ...good,
          messages: [{ role: 'user', content: [{ type: 'image', source: {} }] }],
        }),
      /only hold text blocks/,
    );
    expectValidation(() => anthropicAdapter.parseBody(CLAUDE, { ...good, stop_sequences: [1] }), /stop_sequences/);
    expectValidation(() => anthropicAdapter.parseBody(CLAUDE, { ...good, system: 42 }), /system must be a string/);
  });
  it('meta', () => {
    expectValidation(() => metaLlamaAdapter.parseBody(LLAMA, {}), /prompt/);
    expectValidation(
      () =>
        metaLlamaAdapter.parseBody(LLAMA, {
          prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi',
        }),
      /user turn is not closed/,
    );
    expectValidation(
      () =>
        metaLlamaAdapter.parseBody(LLAMA, {
          prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>',
        }),
      /must end with the assistant header/,
    );
    expectValidation(
      () => metaLlamaAdapter.parseBody(LLAMA, { prompt: '<|start_header_id|>robot<|end_header_id|>\n\nHi<|eot_id|>' }),
      /not in the Llama 3 chat format/,
    );
    expectValidation(() => metaLlamaAdapter.parseBody(LLAMA, { prompt: 'x', temperature: 'hot' }), /temperature/);
  });
  it('nova', () => {
    expectValidation(() => novaAdapter.parseBody(NOVA, { messages: [{ role: 'user', content: 'Hi' }] }), /content/);
    expectValidation(
      () =>
        novaAdapter.parseBody(NOVA, { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: 3 }),
      /inferenceConfig must be an object/,
    );
    expectValidation(
      () =>
        novaAdapter.parseBody(NOVA, {
          messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
          inferenceConfig: { maxTokens: 'many' },
        }),
      /inferenceConfig\.maxTokens must be a number/,
    );
  });
  it('mistral', () => {
    expectValidation(() => mistralAdapter.parseBody(MISTRAL, { prompt: 7 }), /prompt/);
    expectValidation(() => mistralAdapter.parseBody(MISTRAL, { prompt: '<s>[INST] Hi' }), /closed by \[\/INST\]/);
    expectValidation(
      () => mistralAdapter.parseBody(MISTRAL, { prompt: '<s>stray [INST] Hi [/INST]' }),
      /text outside \[INST\]/,
    );
  });
});

describe('readResponse reads recorded bodies', () => {
  it.each([
    [
      anthropicAdapter,
      anthropicResponse,
      { text: 'The capital of France is Paris.', usage: [14, 10], stop: 'end_turn' },
    ],
    [
      metaLlamaAdapter,
      metaLlamaResponse,
      { text: 'The capital of France is Paris.', usage: [27, 8], stop: 'end_turn' },
    ],
    [novaAdapter, novaResponse, { text: 'The capital of France is Paris.', usage: [9, 8], stop: 'end_turn' }],
    [mistralAdapter, mistralResponse, { text: ' The capital of France is Paris.', usage: [0, 0], stop: 'end_turn' }],
  ] as const)('%#', (adapter, body, expected) => {
    expect(adapter.readResponse(body)).toEqual({
      text: expected.text,
      usage: { inputTokens: expected.usage[0], outputTokens: expected.usage[1] },
      stopReason: expected.stop,
    });
  });

  it('maps family stop reasons', () => {
    expect(anthropicAdapter.readResponse({ ...anthropicResponse, stop_reason: 'max_tokens' }).stopReason).toBe(
      'max_tokens',
    );
    expect(anthropicAdapter.readResponse({ ...anthropicResponse, stop_reason: 'refusal' }).stopReason).toBe(
      'content_filtered',
    );
    expect(
      anthropicAdapter.readResponse({ ...anthropicResponse, 'amazon-bedrock-guardrailAction': 'INTERVENED' })
        .stopReason,
    ).toBe('guardrail_intervened');
    expect(metaLlamaAdapter.readResponse({ ...metaLlamaResponse, stop_reason: 'length' }).stopReason).toBe(
      'max_tokens',
    );
    expect(novaAdapter.readResponse({ ...novaResponse, stopReason: 'content_filtered' }).stopReason).toBe(
      'content_filtered',
    );
    expect(mistralAdapter.readResponse({ outputs: [{ text: '', stop_reason: 'length' }] }).stopReason).toBe(
      'max_tokens',
    );
  });

  it('rejects bodies of the wrong shape', () => {
    for (const [adapter, body] of [
      [anthropicAdapter, { completion: 'old API' }],
      [metaLlamaAdapter, { outputs: [] }],
      [novaAdapter, { output: {} }],
      [mistralAdapter, { generation: 'x' }],
    ] as const) {
      expect(() => adapter.readResponse(body)).toThrow(ModelError);
    }
  });
});

describe('writeResponse', () => {
  const adapters: Array<[ModelFamilyAdapter, StopReason[]]> = [
    [
      anthropicAdapter,
      ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'content_filtered', 'guardrail_intervened'],
    ],
    [metaLlamaAdapter, ['end_turn', 'max_tokens']],
    [novaAdapter, ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'content_filtered', 'guardrail_intervened']],
    [mistralAdapter, ['end_turn', 'max_tokens']],
  ];
  it.each(adapters)('$family: readResponse(writeResponse(r)) is r', (adapter, reasons) => {
    for (const stopReason of reasons) {
      const usage =
        adapter === mistralAdapter ? { inputTokens: 0, outputTokens: 0 } : { inputTokens: 5, outputTokens: 7 };
      const response: ModelResponse = { text: 'Ünïcode "quoted" {x} 🚀', usage, stopReason };
      expect(adapter.readResponse(adapter.writeResponse(response))).toEqual(response);
    }
  });

  it('writes the real shapes, so the ResultSelector paths find text and usage', () => {
    const response: ModelResponse = {
      text: 'Paris',
      usage: { inputTokens: 3, outputTokens: 2 },
      stopReason: 'end_turn',
    };
    for (const [adapter] of adapters) {
      const result = { Body: adapter.writeResponse(response) };
      const { text, inputTokens, outputTokens } = adapter.resultPaths;
      expect(readJsonPath(result, text)).toBe('Paris');
      if (inputTokens) expect(readJsonPath(result, inputTokens)).toBe(3);
      if (outputTokens) expect(readJsonPath(result, outputTokens)).toBe(2);
    }
    expect(mistralAdapter.resultPaths).toEqual({ text: '$.Body.outputs[0].text' });
  });
});

describe('resultPaths point into recorded responses', () => {
  it.each([
    [anthropicAdapter, anthropicResponse, 14, 10],
    [metaLlamaAdapter, metaLlamaResponse, 27, 8],
    [novaAdapter, novaResponse, 9, 8],
  ] as const)('%#', (adapter, body, input, output) => {
    const result = { Body: body };
    expect(readJsonPath(result, adapter.resultPaths.text)).toBe(adapter.readResponse(body).text);
    expect(readJsonPath(result, adapter.resultPaths.inputTokens!)).toBe(input);
    expect(readJsonPath(result, adapter.resultPaths.outputTokens!)).toBe(output);
  });
  it('spells the paths of each family', () => {
    expect(anthropicAdapter.resultPaths).toEqual({
      text: '$.Body.content[0].text',
      inputTokens: '$.Body.usage.input_tokens',
      outputTokens: '$.Body.usage.output_tokens',
    });
    expect(metaLlamaAdapter.resultPaths).toEqual({
      text: '$.Body.generation',
      inputTokens: '$.Body.prompt_token_count',
      outputTokens: '$.Body.generation_token_count',
    });
    expect(novaAdapter.resultPaths).toEqual({
      text: '$.Body.output.message.content[0].text',
      inputTokens: '$.Body.usage.inputTokens',
      outputTokens: '$.Body.usage.outputTokens',
    });
  });
});

describe('streams', () => {
  const deltas = ['The capital', ' of France is', ' Paris.'];
  const recorded: Array<[ModelFamilyAdapter, unknown[], string[], [number, number], StopReason]> = [
    [anthropicAdapter, anthropicStream, deltas, [14, 10], 'end_turn'],
    [metaLlamaAdapter, metaLlamaStream, ['The', ' capital of France', ' is Paris.'], [27, 8], 'end_turn'],
    [novaAdapter, novaStream, ['The capital', ' of France is Paris.'], [9, 8], 'max_tokens'],
    [mistralAdapter, mistralStream, [' The capital', ' of France is Paris.'], [18, 8], 'max_tokens'],
  ];

  it.each(recorded)(
    '$family: decodeStream reads a recorded stream exactly',
    async (adapter, chunks, text, usage, stop) => {
      const parts = await collect(adapter.decodeStream(fromArray(chunks)));
      expect(parts).toEqual([
        ...text.map((delta) => ({ type: 'text-delta', delta })),
        { type: 'finish', usage: { inputTokens: usage[0], outputTokens: usage[1] }, stopReason: stop },
      ]);
      expect(await collect(adapter.decodeStream(chunks.map((chunk) => JSON.stringify(chunk))))).toEqual(parts);
    },
  );

  it.each(recorded)(
    '$family: decodeStream fails with Bedrock.ModelStreamErrorException when the stream ends before its final chunk',
    async (adapter, chunks, text) => {
      for (let kept = 0; kept < chunks.length; kept++) {
        const seen: ModelStreamPart[] = [];
        const failure = await (async () => {
          for await (const part of adapter.decodeStream(fromArray(chunks.slice(0, kept)))) seen.push(part);
        })().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(ModelError.isInstance(failure), `${kept} of ${chunks.length} chunks`).toBe(true);
        expect(failure).toMatchObject({ error: 'Bedrock.ModelStreamErrorException', retryable: true });
        expect(seen.every((part) => part.type === 'text-delta')).toBe(true);
        expect(text.join('').startsWith(seen.map((part) => (part as { delta: string }).delta).join(''))).toBe(true);
      }
    },
  );

  it.each(recorded)(
    '$family: a transport failure mid-stream is Bedrock.ModelStreamErrorException',
    async (adapter, chunks) => {
      async function* cut(): AsyncIterable<unknown> {
        yield chunks[0];
        throw Object.assign(new Error('Stream closed with error code NGHTTP2_INTERNAL_ERROR'), {
          code: 'ERR_HTTP2_STREAM_ERROR',
        });
      }
      const failure = await collect(adapter.decodeStream(cut())).catch((error: unknown) => error);
      expect(failure).toMatchObject({ error: 'Bedrock.ModelStreamErrorException' });
      expect((failure as Error).cause).toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
    },
  );

  it.each(recorded)('$family: decodeStreamChunk reads each chunk on its own', (adapter, chunks, text) => {
    const parts = chunks.flatMap((chunk) => adapter.decodeStreamChunk(chunk));
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.delta)).toEqual(text);
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
  });

  it('decodeStreamChunk reports what one chunk holds', () => {
    // Bedrock's Claude reports input tokens in message_start only: a lone message_delta cannot know them.
    expect(anthropicAdapter.decodeStreamChunk(anthropicStream[6])).toEqual([
      { type: 'finish', usage: { inputTokens: 0, outputTokens: 10 }, stopReason: 'end_turn' },
    ]);
    // Nova reports the stop reason and the usage in separate chunks.
    expect(novaAdapter.decodeStreamChunk(novaStream[4])).toEqual([]);
    expect(novaAdapter.decodeStreamChunk(novaStream[5])).toEqual([
      { type: 'finish', usage: { inputTokens: 9, outputTokens: 8 }, stopReason: 'end_turn' },
    ]);
    expect(metaLlamaAdapter.decodeStreamChunk(metaLlamaStream[3])).toEqual([
      { type: 'finish', usage: { inputTokens: 27, outputTokens: 8 }, stopReason: 'end_turn' },
    ]);
  });

  it('a stream chunk of the wrong shape is a stream error', () => {
    expect(() => anthropicAdapter.decodeStreamChunk('{oops')).toThrow(
      expect.objectContaining({ error: 'Bedrock.ModelStreamErrorException' }),
    );
  });

  const families: ModelFamilyAdapter[] = [anthropicAdapter, metaLlamaAdapter, novaAdapter, mistralAdapter];
  const parts: ModelStreamPart[] = [
    { type: 'text-delta', delta: 'Hé' },
    { type: 'text-delta', delta: 'llo "w{o}rld" 🚀' },
    { type: 'finish', usage: { inputTokens: 11, outputTokens: 4 }, stopReason: 'max_tokens' },
  ];

  it.each(families)('$family: decoding the encoded stream gives back the deltas and the usage', async (adapter) => {
    const chunks = await collect(adapter.encodeStream(fromArray(parts)));
    expect(await collect(adapter.decodeStream(fromArray(chunks)))).toEqual(parts);
    const oneByOne = chunks.flatMap((chunk) => adapter.decodeStreamChunk(chunk));
    expect(oneByOne.filter((part) => part.type === 'text-delta')).toEqual(parts.slice(0, 2));
    const finish = oneByOne.filter((part) => part.type === 'finish');
    expect(finish).toHaveLength(1);
    expect(finish[0]).toMatchObject({ usage: { inputTokens: 11, outputTokens: 4 } });
    const metrics = chunks.at(-1)?.['amazon-bedrock-invocationMetrics'];
    expect(metrics).toMatchObject({ inputTokenCount: 11, outputTokenCount: 4 });
  });

  it.each(families)('$family: a stream without a finish still closes', async (adapter) => {
    const chunks = await collect(
      adapter.encodeStream(fromArray<ModelStreamPart>([{ type: 'text-delta', delta: 'x' }])),
    );
    expect(await collect(adapter.decodeStream(chunks))).toEqual([
      { type: 'text-delta', delta: 'x' },
      { type: 'finish', usage: { inputTokens: 0, outputTokens: 0 }, stopReason: 'end_turn' },
    ]);
  });

  it('anthropic writes the event sequence Bedrock sends', async () => {
    const chunks = await collect(anthropicAdapter.encodeStream(fromArray(parts)));
    expect(chunks.map((chunk) => chunk.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(chunks[5]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { input_tokens: 11, output_tokens: 4 },
    });
  });

  it('nova writes the event sequence Bedrock sends', async () => {
    const chunks = await collect(novaAdapter.encodeStream(fromArray(parts)));
    expect(chunks.map((chunk) => Object.keys(chunk)[0])).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(chunks[4]).toEqual({ messageStop: { stopReason: 'max_tokens' } });
    expect(chunks[5]?.metadata).toMatchObject({ usage: { inputTokens: 11, outputTokens: 4, totalTokens: 15 } });
  });

  it('llama and mistral put the stop reason on the last chunk', async () => {
    const llama = await collect(metaLlamaAdapter.encodeStream(fromArray(parts)));
    expect(llama.map((chunk) => chunk.stop_reason)).toEqual([null, null, 'length']);
    expect(llama[1]).toEqual({
      generation: 'llo "w{o}rld" 🚀',
      prompt_token_count: null,
      generation_token_count: 2,
      stop_reason: null,
    });
    const mistral = await collect(mistralAdapter.encodeStream(fromArray(parts)));
    expect(mistral.map((chunk) => (chunk.outputs as Array<{ stop_reason: unknown }>)[0]?.stop_reason)).toEqual([
      null,
      null,
      'length',
    ]);
  });
});
