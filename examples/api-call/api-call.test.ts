import { type BothRuntimes, collectEvents, expectGoldenAsl, startBothRuntimes } from '@stepwise/example-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from './chain';
import { apiCallFakes } from './fakes';
import { createOrderApi } from './order-api';

const context = { stepId: 'callApi', signal: new AbortController().signal };

describe('api-call', () => {
  let runtimes: BothRuntimes;
  beforeAll(async () => {
    runtimes = await startBothRuntimes(() => apiCallFakes());
  });
  afterAll(() => runtimes?.close());

  it('compiles to the golden ASL', () => {
    expectGoldenAsl(apiCall, new URL('./__fixtures__/api-call.asl.json', import.meta.url));
  });

  it('turns a request into an API call and explains the result, with the same events on both runtimes', async () => {
    const input = { customerId: 'c-42', request: 'Where is my order 1042?' };
    const events = await runtimes.sameEvents(apiCall, input);
    const end = events.at(-1) as { output: { call: unknown; result: { ok: boolean } }; text: string };
    expect(end.output.call).toEqual({ action: 'getOrder', orderId: '1042' });
    expect(end.output.result.ok).toBe(true);
    expect(end.text).toBe(
      'Good news: your order 1042 (Alpine 2 tent and Trail stakes (8)) has shipped with UPS and should arrive in 2 business days.',
    );
  });

  it.each([
    ['Please cancel order 1043', 'Done: order 1043 is cancelled and you will be refunded in full.'],
    [
      'Cancel order 1042',
      'Order 1042 is already shipped, so it can no longer be cancelled; you can return it within 60 days instead.',
    ],
    ['What are my orders?', 'You have 2 orders with us: 1042 (shipped), 1043 (processing).'],
    ['Where is order 1077?', 'I could not find an order 1077 on your account. Could you check the number?'],
  ])('%s', async (request, text) => {
    const input = { customerId: 'c-42', request };
    const result = await runtimes.sameResult(apiCall, input);
    expect(result.text).toBe(text);
  });

  it('fails the step with InvalidApiRequest when the JSON of the model does not match the API, on both runtimes', async () => {
    const input = { customerId: 'c-42', request: 'Give me all my money back!' };
    for (const runtime of [runtimes.local, runtimes.sfn]) {
      const error = await runtime.run(apiCall, input).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toMatchObject({ name: 'StepFailedError', error: 'InvalidApiRequest', stepId: 'callApi' });
    }
    const events = await collectEvents(runtimes.local.stream(apiCall, input));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { name: 'StepFailedError', stepId: 'callApi' } });
  });

  it('checks the request against the schema and names every problem', async () => {
    const orderApi = createOrderApi();
    await expect(async () =>
      orderApi({ customerId: 'c-42', call: { action: 'getOrder', orderId: 'abc', x: 1 } }, context),
    ).rejects.toThrow(/does not match the order API: .*orderId: must be digits/);
    await expect(async () =>
      orderApi({ customerId: 'c-42', call: { action: 'getOrder' } }, context),
    ).rejects.toMatchObject({
      name: 'InvalidApiRequest',
    });
    expect(await orderApi({ customerId: 'c-77', call: { action: 'listOrders' } }, context)).toEqual({
      ok: true,
      orders: [{ orderId: '1077', status: 'delivered', items: ['Headlamp 400'] }],
    });
  });
});
