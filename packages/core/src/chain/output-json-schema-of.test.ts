import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isTrue } from '../condition/builders';
import { choose, when } from '../steps/choose';
import { invoke } from '../steps/invoke';
import { respond } from '../steps/respond';
import { task } from '../steps/task';
import { transform } from '../steps/transform';
import { defineChain } from './define-chain';
import { outputJsonSchemaOf } from './output-json-schema-of';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

describe('outputJsonSchemaOf', () => {
  it('describes the output spec built from the state', () => {
    const chain = defineChain({
      name: 'qa',
      input: z.object({ question: z.string() }),
      steps: [
        invoke('check', { model: HAIKU, prompt: '{{input.question}}', output: 'boolean' }),
        task('lookup', { handler: 'lookup' }),
        respond('answer', { model: HAIKU, prompt: '{{input.question}}' }),
      ],
      output: { relevant: 'steps.check.value', lookup: 'steps.lookup', label: 'Q: {{input.question}}', lane: 'gold' },
    });
    expect(outputJsonSchemaOf(chain)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        relevant: { type: 'boolean' },
        lookup: {},
        label: { type: 'string' },
        lane: { type: 'string', enum: ['gold'] },
      },
      required: ['relevant', 'lookup', 'label', 'lane'],
      additionalProperties: false,
    });
  });
  it('is the last step that is not respond without an output spec, or null', () => {
    const chain = defineChain({
      name: 'route',
      steps: [
        choose('c', [when(isTrue('input.vip'), [transform('vip', { set: { lane: 'vip' } })])]),
        respond('answer', { model: HAIKU, prompt: 'hi' }),
      ],
    });
    expect(outputJsonSchemaOf(chain)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      anyOf: [
        {
          type: 'object',
          properties: { lane: { type: 'string', enum: ['vip'] } },
          required: ['lane'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    });
    const only = defineChain({ name: 'only', steps: [respond('answer', { model: HAIKU, prompt: 'hi' })] });
    expect(outputJsonSchemaOf(only)).toEqual({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'null' });
  });
});
