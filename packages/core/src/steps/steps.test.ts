import { describe, expect, it } from 'vitest';
import { defineChain } from '../chain/define-chain';
import { eq, isTrue } from '../condition/builders';
import { choose, when } from './choose';
import { invoke } from './invoke';
import { map } from './map';
import { parallel } from './parallel';
import { respond } from './respond';
import { retrieve } from './retrieve';
import { split } from './split';
import { task } from './task';
import { transform } from './transform';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const policy = { retry: { errors: ['Bedrock.ThrottlingException'], maxAttempts: 2 }, timeoutSeconds: 30 };

describe('step builders', () => {
  it('invoke defaults output to text and leaves out absent options', () => {
    expect(invoke('a', { model: HAIKU, prompt: 'Hi' })).toEqual({
      type: 'invoke',
      id: 'a',
      model: HAIKU,
      prompt: 'Hi',
      output: 'text',
    });
    expect(Object.keys(invoke('a', { model: HAIKU, prompt: 'Hi', system: undefined }))).not.toContain('system');
    expect(
      invoke('a', {
        model: HAIKU,
        system: 'S',
        prompt: 'P',
        prefill: '{',
        output: 'json',
        maxTokens: 10,
        temperature: 0,
        topP: 0.5,
        stopSequences: ['}'],
        policy,
      }),
    ).toEqual({
      type: 'invoke',
      id: 'a',
      model: HAIKU,
      system: 'S',
      prompt: 'P',
      prefill: '{',
      output: 'json',
      maxTokens: 10,
      temperature: 0,
      topP: 0.5,
      stopSequences: ['}'],
      policy,
    });
  });
  it('retrieve', () => {
    expect(retrieve('r', { knowledgeBaseId: 'KB1', query: '{{input.q}}', topK: 3, policy })).toEqual({
      type: 'retrieve',
      id: 'r',
      knowledgeBaseId: 'KB1',
      query: '{{input.q}}',
      topK: 3,
      policy,
    });
    expect(retrieve('r', { knowledgeBaseId: 'KB1', query: 'q' })).toEqual({
      type: 'retrieve',
      id: 'r',
      knowledgeBaseId: 'KB1',
      query: 'q',
    });
  });
  it('task', () => {
    expect(task('t', { handler: 'lookup' })).toEqual({ type: 'task', id: 't', handler: 'lookup' });
    expect(task('t', { handler: 'lookup', input: { id: 'input.id' }, policy })).toEqual({
      type: 'task',
      id: 't',
      handler: 'lookup',
      input: { id: 'input.id' },
      policy,
    });
  });
  it('transform', () => {
    expect(transform('x', { set: { a: 'input.a', b: '{{input.b}}!', c: 1, d: null } })).toEqual({
      type: 'transform',
      id: 'x',
      set: { a: 'input.a', b: '{{input.b}}!', c: 1, d: null },
    });
  });
  it('parallel', () => {
    const one = [transform('a', { set: { x: 1 } })];
    expect(parallel('p', { one })).toEqual({ type: 'parallel', id: 'p', branches: { one } });
    expect(parallel('p', { one }, { policy })).toEqual({ type: 'parallel', id: 'p', branches: { one }, policy });
  });
  it('choose and when', () => {
    const steps = [transform('a', { set: { x: 1 } })];
    const otherwise = [transform('b', { set: { x: 2 } })];
    expect(when(isTrue('input.x'), steps)).toEqual({ when: { op: 'isTrue', path: 'input.x' }, steps });
    expect(choose('c', [when(eq('input.k', 'a'), steps)])).toEqual({
      type: 'choose',
      id: 'c',
      cases: [{ when: { op: 'eq', path: 'input.k', value: 'a' }, steps }],
    });
    expect(choose('c', [when(isTrue('input.x'), steps)], otherwise, { policy })).toMatchObject({ otherwise, policy });
  });
  it('map', () => {
    const steps = [transform('a', { set: { t: 'item.title' } })];
    expect(map('m', { items: 'input.docs', maxConcurrency: 2, steps })).toEqual({
      type: 'map',
      id: 'm',
      items: 'input.docs',
      maxConcurrency: 2,
      steps,
    });
  });
  it('split', () => {
    const variants = { a: { weight: 1, steps: [] }, b: { weight: 3, steps: [transform('x', { set: { v: 'b' } })] } };
    expect(split('s', variants)).toEqual({ type: 'split', id: 's', variants });
    expect(split('s', variants, { policy })).toEqual({ type: 'split', id: 's', variants, policy });
  });
  it('respond', () => {
    expect(respond('r', { model: HAIKU, prompt: 'P' })).toEqual({
      type: 'respond',
      id: 'r',
      model: HAIKU,
      prompt: 'P',
    });
    expect(
      respond('r', {
        model: HAIKU,
        system: 'S',
        messages: { from: 'input.messages', last: 4 },
        maxTokens: 5,
        temperature: 1,
        topP: 1,
        stopSequences: ['x'],
      }),
    ).toEqual({
      type: 'respond',
      id: 'r',
      model: HAIKU,
      system: 'S',
      messages: { from: 'input.messages', last: 4 },
      maxTokens: 5,
      temperature: 1,
      topP: 1,
      stopSequences: ['x'],
    });
  });
});

describe('a chain is data', () => {
  it('survives JSON.stringify and JSON.parse unchanged', () => {
    const chain = defineChain({
      name: 'everything',
      description: 'Every step kind.',
      steps: [
        invoke('classify', { model: HAIKU, prompt: 'Is "{{input.q}}" about refunds?', output: 'boolean', policy }),
        retrieve('docs', { knowledgeBaseId: 'KB1', query: '{{input.q}}', topK: 2 }),
        task('lookup', { handler: 'orders', input: { id: 'input.orderId' } }),
        transform('ctx', { set: { docs: 'steps.docs.results', label: 'Q: {{input.q}}', lane: 'gold' } }),
        parallel('both', { a: [transform('pa', { set: { v: 1 } })], b: [transform('pb', { set: { v: 2 } })] }),
        choose(
          'route',
          [when(isTrue('steps.classify.value'), [transform('refund', { set: { r: true } })])],
          [transform('other', { set: { r: false } })],
        ),
        map('each', {
          items: 'input.items',
          maxConcurrency: 2,
          steps: [transform('one', { set: { i: 'item', n: 'index' } })],
        }),
        split('ab', { x: { weight: 1, steps: [] }, y: { weight: 1, steps: [transform('yy', { set: { y: 1 } })] } }),
        respond('answer', {
          model: HAIKU,
          system: 'Be brief.',
          prompt: '{{steps.ctx.label}} {{steps.docs.results | json}}',
        }),
      ],
      output: { route: 'steps.route', label: 'steps.ctx.label' },
    });
    expect(JSON.parse(JSON.stringify(chain))).toEqual(chain);
  });
});
