import { createLocalRuntime } from '@stepwise/runtime-local';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chains, exampleFakes, sampleInput } from '../../../examples/shared/index';
import { chromiumMissing, launchChromium, openPlayground, skipReason } from './helpers/playground-browser';
import { startTestServer } from './helpers/start-test-server';

const skip = chromiumMissing && !process.env.CI;

/** The examples as `pnpm start` serves them: live events, nested detail; model calls slow enough to watch. */
function startServer(eventDetail: 'top' | 'nested') {
  const runtime = createLocalRuntime(exampleFakes({ firstTokenMs: 250, tokenMs: 5 }));
  return startTestServer({ runtime, chains, exposeErrorDetails: true, liveEvents: true, eventDetail });
}

interface Seen {
  /** Each state a node showed, with the state its container showed at that moment. */
  states: { node: string; state: string; parent: string | null }[];
  /** Each text the map's frame caption showed. */
  captions: string[];
}

/** Records every state change of the graph's nodes (and the map caption) from now on. */
async function watchGraph(page: Page, parents: Record<string, string>): Promise<void> {
  await page.evaluate((parentOf) => {
    const seen: Seen = { states: [], captions: [] };
    (window as unknown as { seen: Seen }).seen = seen;
    const stateOf = (id: string) => document.querySelector(`[data-node="${id}"]`)?.getAttribute('data-state') ?? null;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target as Element;
        if (record.type === 'attributes' && target.hasAttribute?.('data-node')) {
          const node = target.getAttribute('data-node')!;
          const parent = parentOf[node];
          seen.states.push({
            node,
            state: target.getAttribute('data-state')!,
            parent: parent ? stateOf(parent) : null,
          });
        }
      }
      const caption = document.querySelector('.frame-caption')?.textContent;
      if (caption && seen.captions.at(-1) !== caption) seen.captions.push(caption);
    }).observe(document.getElementById('graph')!, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  }, parents);
}

const seenOf = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen }).seen);

/** The digest's form filled with two documents, as a user types them. */
async function fillDigest(page: Page) {
  const input = sampleInput['parallel-map'] as { topic: string; documents: { title: string; text: string }[] };
  await page.locator('#field-topic').fill(input.topic);
  for (const [index, document] of input.documents.slice(0, 2).entries()) {
    if ((await page.locator(`#field-documents-${index}-title`).count()) === 0) await page.click('#field-documents-add');
    await page.locator(`#field-documents-${index}-title`).fill(document.title);
    await page.locator(`#field-documents-${index}-text`).fill(document.text);
  }
}

describe("the run view with eventDetail: 'nested' (headless Chromium)", () => {
  let nested: Awaited<ReturnType<typeof startServer>> | undefined;
  let top: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (skip) return;
    [nested, top, browser] = await Promise.all([startServer('nested'), startServer('top'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await nested?.close();
    await top?.close();
  });

  it('shows the model calls inside the map running, and its iterations, while the map runs', async (context) => {
    if (skip) context.skip(skipReason);
    const { page, problems } = await openPlayground(browser!, nested!.url, 'parallel-map');
    try {
      await fillDigest(page);
      await watchGraph(page, { summarize: 'summaries', entry: 'summaries' });
      await page.click('#run');
      await page.locator('#run-status[data-status="done"]').waitFor();
      const seen = await seenOf(page);
      expect(seen.states).toContainEqual({ node: 'summarize', state: 'running', parent: 'running' });
      // the iterations appear as they start, not only once the map has ended
      expect(seen.captions).toContain('each item of input.documents · 0 of 2 done');
      expect(seen.captions.at(-1)).toBe('each item of input.documents · 2 of 2 done');
      await page.click('[data-node="summaries"]');
      const items = page.locator('#inspector .iterations > li');
      await expect.poll(() => items.count()).toBe(2);
      expect(await items.evaluateAll((list) => list.map((item) => item.getAttribute('data-state')))).toEqual([
        'done',
        'done',
      ]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the model calls inside the parallel running while the parallel runs', async (context) => {
    if (skip) context.skip(skipReason);
    const { page, problems } = await openPlayground(browser!, nested!.url, 'rag-assistant');
    try {
      await page.locator('#field-question').fill('Can I return hiking boots I have already worn?');
      await watchGraph(page, { extractKeywords: 'analyze', checkNeedsContext: 'analyze' });
      await page.click('#run');
      await page.locator('#run-status[data-status="done"]').waitFor();
      const seen = await seenOf(page);
      for (const node of ['extractKeywords', 'checkNeedsContext']) {
        expect(seen.states).toContainEqual({ node, state: 'running', parent: 'running' });
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('at the default detail the inner steps only show once their container has ended', async (context) => {
    if (skip) context.skip(skipReason);
    const { page } = await openPlayground(browser!, top!.url, 'parallel-map');
    try {
      await fillDigest(page);
      await watchGraph(page, { summarize: 'summaries', entry: 'summaries' });
      await page.click('#run');
      await page.locator('#run-status[data-status="done"]').waitFor();
      const seen = await seenOf(page);
      expect(seen.states.filter((entry) => entry.node === 'summarize')).toEqual([
        { node: 'summarize', state: 'done', parent: 'done' },
      ]);
      expect(seen.captions).not.toContain('each item of input.documents · 0 of 2 done');
    } finally {
      await page.close();
    }
  });
});
