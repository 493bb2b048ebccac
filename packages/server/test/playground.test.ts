import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyChain, qaChain } from './helpers/chains';
import { ANSWER, localRuntime } from './helpers/local-runtime';
import { startTestServer } from './helpers/start-test-server';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
const skipReason = `${CHROMIUM} is missing (apt-get install -y chromium); this test only runs where Chromium is installed, and always in CI`;

describe('playground page in headless Chromium', () => {
  const { runtime, models } = localRuntime({ firstTokenMs: 50, tokenMs: 60 });
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: import('playwright-core').Browser | undefined;

  beforeAll(async () => {
    if (missing && !process.env.CI) return;
    const { chromium } = await import('playwright-core');
    server = await startTestServer({ runtime, chains: [qaChain, classifyChain] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs a chain: step statuses and the streamed answer appear', async (context) => {
    if (missing && !process.env.CI) context.skip(skipReason);
    const page = await browser!.newPage();
    try {
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`${server!.url}/`);
      await page.locator('#chain option[value="qa"]').waitFor({ state: 'attached' });
      expect(await page.locator('#description').textContent()).toBe('Answers questions from the docs.');
      await page.locator('#field-question').fill('What is stepwise?');
      expect(JSON.parse(await page.locator('#input-json').inputValue())).toEqual({ question: 'What is stepwise?' });
      await page.locator('#run').click();

      // the answer streams: text shows while the respond step is still running
      await page.waitForFunction(
        () =>
          document.querySelector('#steps li[data-step-id="answer"]')?.getAttribute('data-status') === 'running' &&
          (document.querySelector('#answer')?.textContent ?? '').length > 0,
      );
      expect(await page.locator('#steps li[data-step-id="docs"]').getAttribute('data-status')).toBe('done');
      expect(await page.locator('#steps li[data-step-id="relevant"] .type').textContent()).toBe('invoke');

      await page.locator('#steps li[data-step-id="answer"][data-status="done"]').waitFor();
      expect(await page.locator('#answer').textContent()).toBe(ANSWER);
      expect(await page.locator('#sources li').allTextContents()).toEqual([
        's3://docs/shipping.md (0.754913)',
        's3://docs/intro.md (0.640724)',
      ]);
      expect(await page.locator('#state').textContent()).toMatch(/^done/);
      expect(await page.locator('#error').textContent()).toBe('');
      expect(models.calls.at(-1)?.messages.at(-1)).toEqual({ role: 'user', content: 'What is stepwise?' });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows validation issues from a 422', async (context) => {
    if (missing && !process.env.CI) context.skip(skipReason);
    const page = await browser!.newPage();
    try {
      await page.goto(`${server!.url}/`);
      await page.locator('#chain option[value="qa"]').waitFor({ state: 'attached' });
      await page.locator('#run').click();
      await page.waitForFunction(() => (document.querySelector('#error')?.textContent ?? '').includes('422'));
      expect(await page.locator('#error').textContent()).toContain('question:');
    } finally {
      await page.close();
    }
  });
});
