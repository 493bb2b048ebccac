// A Lambda's server, as `lambda-bundle.bench.ts` bundles it (not a benchmark itself): one chain on the Step Functions
// runtime, served by @stepwise/server's Express-free handler on the port Lambda Web Adapter forwards to. The AWS SDK
// stays external (the Lambda Node.js runtime provides it). The benchmark also bundles this file with the import line
// below swapped for `createServer` from `@stepwise/server` (the Express app), to show what Express costs.
import { choose, defineChain, invoke, isTrue, respond, when } from '@stepwise/core';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { createHandler, serve } from '@stepwise/server/handler';

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';

const support = defineChain({
  name: 'support',
  steps: [
    invoke('urgent', {
      model: haiku,
      prompt: 'Is this urgent? Answer true or false.\n{{input.question}}',
      output: 'boolean',
    }),
    choose('tone', [when(isTrue('steps.urgent.value'), [invoke('apology', { model: haiku, prompt: 'Apologise.' })])]),
    respond('answer', { model: haiku, system: 'Answer briefly.', prompt: '{{input.question}}' }),
  ],
});

const endpoint = process.env.STEPWISE_SFN_ENDPOINT;
const runtime = createSfnRuntime({
  stateMachines: JSON.parse(process.env.STEPWISE_STATE_MACHINES ?? '{}') as Record<string, string>,
  ...(endpoint ? { endpoint, bedrockEndpoint: endpoint } : {}),
});

const handle = await serve(createHandler({ runtime, chains: [support] }), {
  port: Number(process.env.AWS_LWA_PORT ?? process.env.PORT ?? 8080),
});
console.log(`listening on ${handle.url}`);
