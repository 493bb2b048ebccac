import type { ModelRequest } from '@stepwise/core';
import { type ExampleServices, type FakeLatency, stepFakes } from '@stepwise/example-common';
import { lastUserText } from '@stepwise/runtime-local';
import { reviewThemes, sampleReviews } from './documents';

/** The summariser, faked: the product and the document's first sentence. */
function summarize(request: ModelRequest): string {
  const [heading = '', ...body] = lastUserText(request).split('\n');
  const product = heading.replace(/^#\s*(Review \d+:\s*)?/, '');
  const first =
    body
      .join(' ')
      .trim()
      .split(/(?<=\.)\s/)[0] ?? '';
  return `${product}: ${first}`;
}

/** The synthesiser, faked: counts the themes in the summaries and recommends acting on the top one. */
function synthesis(request: ModelRequest): string {
  const topic = /themes about (.+?), with how many/.exec(request.system ?? '')?.[1] ?? 'the products';
  const prompt = lastUserText(request);
  let summaries: { title: string; summary: string }[] = [];
  try {
    summaries = JSON.parse(prompt.slice(prompt.indexOf('['))) as typeof summaries;
  } catch {
    summaries = [];
  }
  const counts = reviewThemes
    .map(({ theme, marker }) => ({ theme, count: summaries.filter((entry) => marker.test(entry.summary)).length }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => b.count - a.count || a.theme.localeCompare(b.theme));
  if (counts.length === 0) return `None of the ${summaries.length} documents says anything about ${topic}.`;
  const themes = counts.map(({ theme, count }) => `${theme} (${count})`).join(', ');
  return (
    `Across ${summaries.length} reviews, the main themes about ${topic} are: ${themes}. ` +
    `Recommendation: look into ${counts[0]!.theme} first, since it comes up most often.`
  );
}

/**
 * Fakes of the digest example: a summariser that keeps each review's first sentence and a synthesiser that counts
 * themes. Give `firstTokenMs` to see `maxConcurrency` at work. The same fakes serve runtime-local and the emulator.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime(reviewDigestFakes({ firstTokenMs: 200 }));
 * await runtime.run(reviewDigest, { topic: 'comfort', documents: sampleReviews(40) });
 * ```
 */
export function reviewDigestFakes(latency: FakeLatency = {}): ExampleServices {
  return stepFakes({ summarize, synthesis }, latency);
}

/**
 * A ready input for the digest: `count` sample reviews and a topic.
 *
 * @example
 * ```ts
 * await runtime.run(reviewDigest, sampleDigestInput(40));
 * ```
 */
export function sampleDigestInput(count = 12): { topic: string; documents: ReturnType<typeof sampleReviews> } {
  return { topic: 'what customers like and dislike', documents: sampleReviews(count) };
}
