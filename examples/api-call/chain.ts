import { defineChain, invoke, respond, task } from '@stepwise/core';
import { HAIKU, SONNET } from '@stepwise/example-common';
import { z } from 'zod';

/** Input of {@link apiCall}. */
export const apiCallInput = z.object({
  customerId: z.string().min(1),
  request: z.string().min(1).max(2000),
});

/**
 * Natural language to an API call: a small model turns the customer's request into the JSON request of the order
 * API, the `orderApi` handler checks it against the API's schema (failing the step with `InvalidApiRequest` and the
 * reasons when the model got it wrong) and calls the API, and the answering model explains the result.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(apiCallFakes());
 * const { text } = await runtime.run(apiCall, { customerId: 'c-42', request: 'Where is my order 1042?' });
 * ```
 */
export const apiCall = defineChain({
  name: 'api-call',
  description: 'Turns a request into a schema-checked order API call, calls it, and explains the result.',
  input: apiCallInput,
  steps: [
    invoke('buildRequest', {
      model: HAIKU,
      system:
        'You translate customer requests into calls to the order API. Reply with one JSON object only, matching ' +
        '{"action": "getOrder" | "cancelOrder" | "listOrders", "orderId"?: "<digits>"}. ' +
        'getOrder and cancelOrder need the orderId; listOrders takes none.',
      prompt: '{{input.request}}',
      prefill: '{',
      output: 'json',
      maxTokens: 100,
      temperature: 0,
      policy: {
        retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 3, intervalSeconds: 1, jitter: 'FULL' },
      },
    }),
    task('callApi', {
      handler: 'orderApi',
      input: { customerId: 'input.customerId', call: 'steps.buildRequest.value' },
      policy: {
        timeoutSeconds: 10,
        retry: { errors: ['OrderApiUnavailable'], maxAttempts: 2, intervalSeconds: 1, backoffRate: 2 },
      },
    }),
    respond('explain', {
      model: SONNET,
      system:
        'You explain results of the order API of Trailhead Outfitters to the customer, in plain words and at most ' +
        'three sentences. Never show JSON.\nAPI call: {{steps.buildRequest.value | json}}\nAPI result: {{steps.callApi | json}}',
      prompt: '{{input.request}}',
      maxTokens: 400,
      temperature: 0.2,
    }),
  ],
  output: { call: 'steps.buildRequest.value', result: 'steps.callApi' },
});
