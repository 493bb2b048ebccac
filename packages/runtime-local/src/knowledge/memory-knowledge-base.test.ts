import { describe, expect, it } from 'vitest';
import { memoryKnowledgeBase } from './memory-knowledge-base';

const kb = memoryKnowledgeBase([
  {
    text: 'Refunds are issued within 14 days of the return.',
    source: 's3://docs/refunds.md',
    metadata: { lang: 'en' },
  },
  { text: 'Shipping is free for orders over 50 euros.', source: 'https://example.com/shipping' },
  'Returns are accepted within 30 days; a refund follows every return, refund guaranteed.',
  { text: 'Support is open on weekdays.', source: 'support-faq' },
]);
const request = (query: string, topK = 5) => ({ knowledgeBaseId: 'KB1', query, topK });

describe('memoryKnowledgeBase', () => {
  it('ranks by BM25: rarer terms and more occurrences score higher', async () => {
    const results = await kb.retrieve(request('refund return'));
    expect(results.map((result) => result.text.slice(0, 12))).toEqual(['Returns are ', 'Refunds are ']);
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(results[1]).toEqual({
      text: 'Refunds are issued within 14 days of the return.',
      score: expect.any(Number),
      source: 's3://docs/refunds.md',
    });
  });

  it('keeps topK results and drops documents without a matching term', async () => {
    expect(await kb.retrieve(request('refund return', 1))).toHaveLength(1);
    expect(await kb.retrieve(request('weekdays SHIPPING'))).toHaveLength(2);
    expect(await kb.retrieve(request('nothing matches this'))).toEqual([]);
  });

  it('answers in the shape of Bedrock Retrieve', () => {
    const { RetrievalResults } = kb.retrieveBedrock(request('refunds shipping weekdays'));
    expect(RetrievalResults).toHaveLength(3);
    expect(RetrievalResults.find((result) => result.Content.Text.startsWith('Refunds'))).toEqual({
      Content: { Text: 'Refunds are issued within 14 days of the return.', Type: 'TEXT' },
      Location: { Type: 'S3', S3Location: { Uri: 's3://docs/refunds.md' } },
      Score: expect.any(Number),
      Metadata: { lang: 'en', 'x-amz-bedrock-kb-source-uri': 's3://docs/refunds.md' },
    });
    expect(RetrievalResults.map((result) => result.Location.Type).sort()).toEqual(['CUSTOM', 'S3', 'WEB']);
  });

  it('scores the same in both shapes', async () => {
    const plain = await kb.retrieve(request('refund'));
    const bedrock = kb.retrieveBedrock(request('refund')).RetrievalResults;
    expect(bedrock.map((result) => result.Score)).toEqual(plain.map((result) => result.score));
  });
});
