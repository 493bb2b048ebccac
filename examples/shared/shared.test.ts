import { createLocalRuntime } from '@stepwise/runtime-local';
import { describe, expect, it } from 'vitest';
import { chains, exampleFakes, sampleInput } from './index';

describe('@stepwise/examples', () => {
  it('has unique step ids across the examples, so one fake provider can serve them all', () => {
    const ids: string[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (typeof record.type === 'string' && typeof record.id === 'string') ids.push(record.id);
        Object.values(record).forEach(visit);
      }
    };
    visit(chains.map((chain) => chain.steps));
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('runs every example chain on its sample input with the merged fakes', async () => {
    const runtime = createLocalRuntime(exampleFakes());
    for (const chain of chains) {
      const result = await runtime.run(chain, sampleInput[chain.name]);
      expect(result.text, chain.name).toBeTruthy();
    }
  });
});

describe('startExamples', () => {
  it('serves every example chain and streams an answer over HTTP', async () => {
    const { startExamples } = await import('./start-examples');
    const banner: string[] = [];
    const out = { write: (text: string) => banner.push(text) } as unknown as NodeJS.WritableStream;
    const handle = await startExamples({ port: 0, firstTokenMs: 0, tokenMs: 0, out, logger: false });
    try {
      expect(banner.join('')).toContain(`curl -N ${handle.url}/v1/chains/rag-assistant/stream`);
      const list = (await (await fetch(`${handle.url}/v1/chains`)).json()) as { chains: { name: string }[] };
      expect(list.chains.map((chain) => chain.name).sort()).toEqual(chains.map((chain) => chain.name).sort());
      const response = await fetch(`${handle.url}/v1/chains/router/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: sampleInput.router }),
      });
      const body = await response.text();
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(body).toContain('"type":"text-delta"');
      expect(body.trim().endsWith('data: [DONE]')).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
