// The server of the deploy recipe, run by Lambda Web Adapter behind a streaming Function URL: every example chain on
// the Step Functions runtime (state machines from the template), the final answer streamed from Bedrock.
import { chains } from '@stepwise/examples';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { createServer, serve } from '@stepwise/server';

const stateMachines = JSON.parse(process.env.STEPWISE_STATE_MACHINES ?? '{}') as Record<string, string>;
const apiKey = process.env.STEPWISE_API_KEY;
// Set to try the bundle against `stepwise emulate` instead of AWS.
const endpoint = process.env.STEPWISE_SFN_ENDPOINT;

const app = createServer({
  runtime: createSfnRuntime({ stateMachines, ...(endpoint ? { endpoint, bedrockEndpoint: endpoint } : {}) }),
  chains: chains.filter((chain) => chain.name in stateMachines),
  ...(apiKey ? { auth: { apiKeys: [apiKey] } } : {}),
});

// Lambda Web Adapter forwards requests to this port and checks readiness on `/`.
await serve(app, { port: Number(process.env.AWS_LWA_PORT ?? process.env.PORT ?? 8080), host: '0.0.0.0' });
