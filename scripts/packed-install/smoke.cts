// TypeScript smoke test of the packed packages' CommonJS declarations (`require` condition, `.d.cts`), type-checked by
// scripts/check-packed-install.mjs under `moduleResolution: node16` (smoke.cjs runs the same code).
import { type ChainResult, defineChain, invoke, respond } from '@stepwise/core';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { createServer, type ServerHandle, serve } from '@stepwise/server';
import { invokeChain } from '@stepwise/server/client';

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const chain = defineChain({
  name: 'greet',
  steps: [
    invoke('friendly', { model: haiku, prompt: 'Is {{input.name}} friendly? true or false', output: 'boolean' }),
    respond('answer', { model: haiku, prompt: 'Greet {{input.name}}.' }),
  ],
});

// The declarations are real, not `any`: a step id must be a string.
// @ts-expect-error: the step id is a number
invoke(42, { model: haiku, prompt: 'Hi' });

export async function main(): Promise<string | undefined> {
  const runtime = createLocalRuntime({ models: fakeModels({ byStep: { friendly: 'true', answer: 'Hello!' } }) });
  const local: ChainResult = await runtime.run(chain, { name: 'Ada' });
  const handle: ServerHandle = await serve(createServer({ runtime, chains: [chain], logger: false }), {
    port: 0,
    host: '127.0.0.1',
    signals: [],
  });
  try {
    const served: ChainResult = await invokeChain(`${handle.url}/v1/chains/greet`, { name: 'Ada' });
    return served.text === local.text ? served.text : undefined;
  } finally {
    await handle.close();
  }
}
