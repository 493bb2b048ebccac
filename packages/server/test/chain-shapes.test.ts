import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyChain, qaChain } from './helpers/chains';
import { localRuntime } from './helpers/local-runtime';
import { startTestServer } from './helpers/start-test-server';

describe('GET /v1/chains shows the output shapes', () => {
  const { runtime } = localRuntime();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ runtime, chains: [qaChain, classifyChain] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists each chain output JSON Schema beside its input schema', async () => {
    const body = (await (await fetch(`${server.url}/v1/chains`)).json()) as { chains: Array<Record<string, any>> };
    const [qa, classify] = body.chains;
    expect(Object.keys(qa!)).toEqual(['name', 'description', 'inputSchema', 'streams', 'outputSchema']);
    // qa ends with respond: its output is the boolean invoke before it
    expect(qa!.outputSchema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        text: { type: 'string' },
        value: { type: 'boolean' },
        usage: {
          type: 'object',
          properties: { inputTokens: { type: 'integer' }, outputTokens: { type: 'integer' } },
          required: ['inputTokens', 'outputTokens'],
          additionalProperties: false,
        },
      },
      required: ['text', 'value', 'usage'],
      additionalProperties: false,
    });
    expect(classify!.outputSchema).toMatchObject({ type: 'object', required: ['text', 'usage'] });
  });
});

describe('GET /v1/chains/:name with a task that declares its output with a schema object', () => {
  it('sends the steps as data and leaves the schema object out', async () => {
    const { z } = await import('zod');
    const { defineChain, task } = await import('@stepwise/core');
    const chain = defineChain({
      name: 'lookup',
      steps: [task('find', { handler: 'find', output: z.object({ id: z.string() }) })],
    });
    const { runtime } = localRuntime();
    const server = await startTestServer({ runtime, chains: [chain] });
    try {
      const response = await fetch(`${server.url}/v1/chains/lookup`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { steps: Array<Record<string, unknown>> };
      expect(body.steps[0]).toMatchObject({ type: 'task', id: 'find', handler: 'find' });
      expect(body.steps[0]).not.toHaveProperty('output');
    } finally {
      await server.close();
    }
  });
});
