// TypeScript smoke test of the packed packages' declarations (ESM), type-checked by scripts/check-packed-install.mjs
// under `moduleResolution: node16` and `bundler`, and run with Node's type stripping: defines a chain, runs it on
// runtime-local with fake models, serves it and asks the server through the typed client.
import assert from 'node:assert/strict';
import { type ChainEvent, type ChainResult, type ChainRuntime, defineChain, invoke, respond } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { createServer, type ServerHandle, serve } from '@stepwise/server';
import { invokeChain, streamChain } from '@stepwise/server/client';
import { createHandler } from '@stepwise/server/handler';

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const chain = defineChain({
  name: 'greet',
  steps: [
    invoke('friendly', { model: haiku, prompt: 'Is {{input.name}} friendly? true or false', output: 'boolean' }),
    respond('answer', { model: haiku, prompt: 'Greet {{input.name}}.' }),
  ],
});
const runtime: ChainRuntime = createLocalRuntime({
  models: fakeModels({ byStep: { friendly: 'true', answer: 'Hello, Ada! Nice to meet you.' } }),
});

// The declarations are real, not `any`: a step id must be a string.
// @ts-expect-error: the step id is a number
invoke(42, { model: haiku, prompt: 'Hi' });

const result: ChainResult = await runtime.run(chain, { name: 'Ada' });
const answer: string | undefined = result.text;
assert.equal(answer, 'Hello, Ada! Nice to meet you.');

const handle: ServerHandle = await serve(createServer({ runtime, chains: [chain], logger: false }), {
  port: 0,
  host: '127.0.0.1',
  signals: [],
});
try {
  const url = `${handle.url}/v1/chains/greet`;
  const invoked: ChainResult = await invokeChain(url, { name: 'Ada' });
  assert.equal(invoked.text, 'Hello, Ada! Nice to meet you.');

  const deltas: string[] = [];
  let last: ChainEvent['type'] | undefined;
  for await (const event of streamChain(url, { name: 'Ada' })) {
    if (event.type === 'text-delta') deltas.push(event.delta);
    last = event.type;
  }
  assert.ok(deltas.length > 1, 'the answer streams in several deltas');
  assert.equal(deltas.join(''), 'Hello, Ada! Nice to meet you.');
  assert.equal(last, 'chain-end');
} finally {
  await handle.close();
}
// The Express-free entry serves the same contract.
const bare: ServerHandle = await serve(createHandler({ runtime, chains: [chain], logger: false }), {
  port: 0,
  host: '127.0.0.1',
  signals: [],
});
try {
  const invoked: ChainResult = await invokeChain(`${bare.url}/v1/chains/greet`, { name: 'Ada' });
  assert.equal(invoked.text, 'Hello, Ada! Nice to meet you.');
} finally {
  await bare.close();
}
console.log(
  'TypeScript: defineChain, runtime-local run, server /invoke and /stream through the client, the handler entry: ok',
);
