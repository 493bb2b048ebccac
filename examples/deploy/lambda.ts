// The server of the deploy recipe, run by Lambda Web Adapter behind a streaming Function URL: every example chain on
// the Step Functions runtime (state machines from the template), the final answer streamed from Bedrock.
import { createOpenAI } from '@ai-sdk/openai';
import { chains } from '@stepwise/examples';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { createHandler, serve } from '@stepwise/server/handler';

const stateMachines = {
  ...(JSON.parse(process.env.STEPWISE_STATE_MACHINES ?? '{}') as Record<string, string>),
  // The chains on other providers, deployed when the template got their connections.
  ...(JSON.parse(process.env.STEPWISE_PROVIDER_STATE_MACHINES ?? '{}') as Record<string, string>),
};
// `respond` on another provider's model streams from its API here, with its key (decision 0007).
const openai = process.env.OPENAI_API_KEY ? createOpenAI({ apiKey: process.env.OPENAI_API_KEY }) : undefined;
const models = openai ? aiSdkModels({ openai: (id) => openai.chat(id) }) : undefined;
const apiKey = process.env.STEPWISE_API_KEY;
// Set to try the bundle against `stepwise emulate` instead of AWS.
const endpoint = process.env.STEPWISE_SFN_ENDPOINT;

// The Express-free entry (decision 0008): a Lambda's cold start loads no Express.
const app = createHandler({
  runtime: createSfnRuntime({
    stateMachines,
    ...(endpoint ? { endpoint, bedrockEndpoint: endpoint } : {}),
    ...(models ? { models } : {}),
  }),
  chains: chains.filter((chain) => chain.name in stateMachines),
  ...(apiKey ? { auth: { apiKeys: [apiKey] } } : {}),
});

// Lambda Web Adapter forwards requests to this port and checks readiness on `/`.
await serve(app, { port: Number(process.env.AWS_LWA_PORT ?? process.env.PORT ?? 8080), host: '0.0.0.0' });
