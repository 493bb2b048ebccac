import type { KnowledgeBase } from '@stepwise/core';
import { type BothRuntimes, expectGoldenAsl, startBothRuntimes } from '@stepwise/example-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_BASE_ID, ragAssistant } from './chain';
import { ragAssistantFakes } from './fakes';
import { sampleInput } from './index';

const brokenKnowledgeBase: KnowledgeBase = {
  specificationVersion: 'v1',
  async retrieve() {
    throw Object.assign(new Error('The knowledge base is being re-indexed.'), { name: 'ServiceUnavailableException' });
  },
};

describe('rag-assistant', () => {
  let runtimes: BothRuntimes;
  let broken: BothRuntimes;
  beforeAll(async () => {
    runtimes = await startBothRuntimes(() => ragAssistantFakes());
    broken = await startBothRuntimes(() => ({
      ...ragAssistantFakes(),
      knowledgeBases: { [KNOWLEDGE_BASE_ID]: brokenKnowledgeBase },
    }));
  });
  afterAll(async () => {
    await runtimes?.close();
    await broken?.close();
  });

  it('compiles to the golden ASL', () => {
    expectGoldenAsl(ragAssistant, new URL('./__fixtures__/rag-assistant.asl.json', import.meta.url));
  });

  it('answers from the knowledge base, with the same events on both runtimes', async () => {
    const events = await runtimes.sameEvents(ragAssistant, sampleInput);
    expect(
      events
        .map((event) => (event.type === 'step-start' ? event.stepId : event.type))
        .filter((x) => x !== 'text-delta'),
    ).toEqual([
      'chain-start',
      'analyze',
      'step-end',
      'context',
      'searchDocs',
      'step-end',
      'step-end',
      'answer',
      'step-end',
      'chain-end',
    ]);
    const end = events.at(-1) as { output: unknown; text: string };
    expect(end.output).toEqual({ keywords: 'return hiking boots already worn', usedKnowledgeBase: true });
    expect(end.text).toBe(
      'Here is what our help centre says. Returns: unworn items can be returned within 60 days of delivery for a full ' +
        'refund. Worn footwear and clothing can be returned within 30 days for store credit, if they are clean. Sale ' +
        'items are final. (I kept our last 2 messages in mind.)',
    );
  });

  it('searches with the question plus the keywords', async () => {
    const result = await runtimes.sfn.run(ragAssistant, { question: 'How many days does express delivery take?' });
    expect(result.text).toContain('Express delivery takes 1 to 2 business days');
    const docs = result.steps.searchDocs as { results: { source?: string }[] };
    expect(docs.results[0]?.source).toBe('help/shipping.md');
  });

  it('skips the knowledge base for small talk, on both runtimes', async () => {
    const input = { question: 'Hello!' };
    const result = await runtimes.sameResult(ragAssistant, input);
    expect(result.output).toEqual({ keywords: 'hello', usedKnowledgeBase: false });
    expect(result.steps).not.toHaveProperty('searchDocs');
    expect(result.steps.context).toBeNull();
    expect(result.text).toMatch(/^Hello! I am the Trailhead Outfitters assistant/);
  });

  it('sends only the last 6 turns of the history to the answering model', async () => {
    // An even number of turns ending with an assistant one: Converse wants the conversation to start with a user turn
    // and to alternate, the question being the last user turn.
    const history = Array.from({ length: 8 }, (_, index) => ({
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `turn ${index + 1}`,
    }));
    const input = { question: 'Do you rent tents?', history };
    const [local, sfn] = await Promise.all([
      runtimes.local.run(ragAssistant, input),
      runtimes.sfn.run(ragAssistant, input),
    ]);
    expect(sfn.text).toBe(local.text);
    expect(local.text).toContain('(I kept our last 6 messages in mind.)');
    for (const models of [runtimes.services.local.models, runtimes.services.sfn.models]) {
      const answer = (models as unknown as { calls: { stepId?: string; messages: { content: string }[] }[] }).calls
        .filter((call) => call.stepId === 'answer')
        .at(-1)!;
      expect(answer.messages.map((message) => message.content)).toEqual([
        'turn 3',
        'turn 4',
        'turn 5',
        'turn 6',
        'turn 7',
        'turn 8',
        'Do you rent tents?',
      ]);
    }
  });

  it('degrades to no context when the knowledge base fails, on both runtimes', async () => {
    const input = { question: 'What is the warranty on tents?' };
    const result = await broken.sameResult(ragAssistant, input);
    expect(result.steps.searchDocs).toEqual({
      note: 'The knowledge base is unavailable right now; answer without it and say so.',
    });
    expect(result.text).toMatch(/^Sorry, I cannot reach our help centre right now/);
  });

  it('rejects input without a question', async () => {
    await expect(runtimes.local.run(ragAssistant, { question: '' })).rejects.toMatchObject({
      name: 'InputValidationError',
    });
    // @ts-expect-error: the input type requires a question; this checks the run-time refusal of such input
    await expect(runtimes.sfn.run(ragAssistant, {})).rejects.toMatchObject({ name: 'InputValidationError' });
  });
});
