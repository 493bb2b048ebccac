// ESM smoke test of the packed packages, run by scripts/check-packed-install.mjs in a folder where the tarballs are
// installed with npm: defines a chain, runs it on runtime-local with fake models, serves it and asks the server.
import assert from 'node:assert/strict';
import { defineChain, invoke, respond } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { createServer, serve } from '@stepwise/server';
import { createHandler } from '@stepwise/server/handler';

// Loaded through the packages' `import` condition.
assert.match(import.meta.resolve('@stepwise/core'), /\/dist\/index\.js$/);

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const chain = defineChain({
  name: 'greet',
  steps: [
    invoke('friendly', { model: haiku, prompt: 'Is {{input.name}} friendly? true or false', output: 'boolean' }),
    respond('answer', { model: haiku, prompt: 'Greet {{input.name}}.' }),
  ],
});
const runtime = createLocalRuntime({
  models: fakeModels({ byStep: { friendly: 'true', answer: 'Hello, Ada! Nice to meet you.' } }),
});

const result = await runtime.run(chain, { name: 'Ada' });
assert.equal(result.text, 'Hello, Ada! Nice to meet you.');
assert.equal(result.steps.friendly.value, true);

const handle = await serve(createServer({ runtime, chains: [chain], logger: false }), {
  port: 0,
  host: '127.0.0.1',
  signals: [],
});
try {
  const post = (route) =>
    fetch(`${handle.url}/v1/chains/greet/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { name: 'Ada' } }),
    });

  const invoked = await post('invoke');
  assert.equal(invoked.status, 200);
  const body = await invoked.json();
  assert.equal(body.text, 'Hello, Ada! Nice to meet you.');
  assert.equal(body.steps.friendly.value, true);

  const streamed = await post('stream');
  assert.equal(streamed.status, 200);
  assert.match(streamed.headers.get('content-type') ?? '', /^text\/event-stream/);
  const data = (await streamed.text())
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
  assert.equal(data.at(-1), '[DONE]');
  const parts = data.slice(0, -1).map((line) => JSON.parse(line));
  const deltas = parts.filter((part) => part.type === 'text-delta').map((part) => part.delta);
  assert.ok(deltas.length > 1, 'the answer streams in several deltas');
  assert.equal(deltas.join(''), 'Hello, Ada! Nice to meet you.');
  assert.equal(parts.at(-1).type, 'finish');
} finally {
  await handle.close();
}
// The Express-free entry serves the same contract.
const bare = await serve(createHandler({ runtime, chains: [chain], logger: false }), {
  port: 0,
  host: '127.0.0.1',
  signals: [],
});
try {
  const invoked = await fetch(`${bare.url}/v1/chains/greet/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: { name: 'Ada' } }),
  });
  assert.equal((await invoked.json()).text, 'Hello, Ada! Nice to meet you.');
} finally {
  await bare.close();
}
console.log('ESM: defineChain, runtime-local run, server /invoke and /stream, the handler entry: ok');
