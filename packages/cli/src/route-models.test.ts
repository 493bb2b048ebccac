import { fakeModels } from '@stepwise/runtime-local';
import { describe, expect, it } from 'vitest';
import { routeModels } from './route-models';

describe('routeModels', () => {
  it("sends other providers' models to one provider and Bedrock ids to the other", async () => {
    const models = routeModels(fakeModels({ default: 'from bedrock' }), fakeModels({ default: 'from openai' }));
    const ask = (modelId: string) => models.doInvoke({ modelId, messages: [{ role: 'user', content: 'Hi' }] });
    expect((await ask('anthropic.claude-3-haiku-20240307-v1:0')).text).toBe('from bedrock');
    expect((await ask('openai:gpt-4o-mini')).text).toBe('from openai');
    let streamed = '';
    for await (const part of models.doStream({
      modelId: 'compatible:llama3.2',
      messages: [{ role: 'user', content: 'Hi' }],
    })) {
      if (part.type === 'text-delta') streamed += part.delta;
    }
    expect(streamed).toBe('from openai');
  });
});
