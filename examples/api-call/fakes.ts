import type { ModelRequest } from '@stepwise/core';
import { type ExampleServices, type FakeLatency, stepFakes } from '@stepwise/example-common';
import { lastUserText } from '@stepwise/runtime-local';
import { createOrderApi, type Order, sampleOrders } from './order-api';

/** Options of {@link apiCallFakes}. */
export interface ApiCallFakesOptions extends FakeLatency {
  /** The orders the fake API serves. Default {@link sampleOrders}. */
  orders?: Order[];
}

/**
 * The request builder, faked with rules; it continues the `{` prefill. A request it does not understand gets an
 * action the API does not have, as a real model sometimes does: the handler's schema check catches it.
 */
function buildRequest(request: ModelRequest): string {
  const text = lastUserText(request).toLowerCase();
  const orderId = /\b(\d{3,})\b/.exec(text)?.[1];
  if (/cancel/.test(text) && orderId) return `"action": "cancelOrder", "orderId": "${orderId}"}`;
  if (orderId) return `"action": "getOrder", "orderId": "${orderId}"}`;
  if (/orders|order history|what did i (buy|order)/.test(text)) return '"action": "listOrders"}';
  return '"action": "refundEverything", "orderId": "all"}';
}

function section(system: string, label: string): unknown {
  const line = system.split('\n').find((candidate) => candidate.startsWith(label));
  try {
    return line === undefined ? undefined : JSON.parse(line.slice(label.length));
  } catch {
    return undefined;
  }
}

/** The explaining model, faked: reads the API call and result from the system prompt. */
function explain(request: ModelRequest): string {
  const system = request.system ?? '';
  const result = section(system, 'API result: ') as Record<string, any> | undefined;
  if (!result) return 'Sorry, I could not reach our order system. Please try again in a minute.';
  if (result.ok && result.order) {
    const order = result.order;
    const items = order.items.join(' and ');
    return order.status === 'shipped'
      ? `Good news: your order ${order.orderId} (${items}) has shipped with ${order.carrier} and should arrive ${order.eta}.`
      : `Your order ${order.orderId} (${items}) is ${order.status}.`;
  }
  if (result.ok && result.orders) {
    const lines = result.orders.map((order: any) => `${order.orderId} (${order.status})`);
    return `You have ${result.orders.length} orders with us: ${lines.join(', ')}.`;
  }
  if (result.ok && result.cancelled)
    return `Done: order ${result.orderId} is cancelled and you will be refunded in full.`;
  if (result.error === 'cannot-cancel') {
    return `Order ${result.orderId} is already ${result.status}, so it can no longer be cancelled; you can return it within 60 days instead.`;
  }
  return `I could not find an order ${result.orderId} on your account. Could you check the number?`;
}

/**
 * Fakes of the API-call example: a rule-based request builder, the fake order API behind the `orderApi` handler,
 * and an explaining model that reads the API result. The same fakes serve runtime-local and the emulator.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(apiCallFakes());
 * ```
 */
export function apiCallFakes(options: ApiCallFakesOptions = {}): ExampleServices {
  const { orders = sampleOrders, ...latency } = options;
  return stepFakes({ buildRequest, explain }, { ...latency, handlers: { orderApi: createOrderApi(orders) } });
}
