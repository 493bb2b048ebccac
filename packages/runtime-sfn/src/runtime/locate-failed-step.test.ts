import { defineChain, invoke, parallel, retrieve, task, transform } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { locateFailedStep } from './locate-failed-step';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

const chain = defineChain({
  name: 'locate',
  steps: [
    transform('prepare', { set: { q: 'input.q' } }),
    retrieve('docs', { knowledgeBaseId: 'KB1', query: '{{input.q}}' }),
    parallel('both', {
      a: [invoke('summary', { model: HAIKU, prompt: '{{input.q}}' })],
      b: [
        task('offer', {
          handler: 'offer',
          policy: {
            timeoutSeconds: 5,
            catch: { errors: ['States.ALL'], fallback: [task('fallbackOffer', { handler: 'other' })] },
          },
        }),
      ],
    }),
  ],
});

describe('locateFailedStep', () => {
  it('names the one step that can raise the error', () => {
    expect(locateFailedStep(chain.steps, 'Bedrock.ThrottlingException', 'slow down')).toBe('summary');
    expect(locateFailedStep(chain.steps, 'BedrockAgentRuntime.ResourceNotFoundException', '')).toBe('docs');
    expect(locateFailedStep(chain.steps, 'States.Timeout', undefined)).toBe('offer');
    expect(locateFailedStep(chain.steps, 'OfferError', '{"errorType":"OfferError"}')).toBe('offer');
  });

  it('prefers a step:<id> marker in the cause, and gives up when several steps could fail', () => {
    expect(locateFailedStep(chain.steps, 'States.Runtime', 'step:prepare failed')).toBe('prepare');
    expect(
      locateFailedStep(chain.steps, 'States.Runtime', "Path expression '$.input.q' does not point to a value"),
    ).toBe(undefined);
  });
});
