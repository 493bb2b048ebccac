import { existsSync } from 'node:fs';
import { createLocalRuntime } from '@stepwise/runtime-local';
import type { Browser, Page } from 'playwright-core';
import { chains, exampleFakes } from '../../../../examples/shared/index';
import { startTestServer } from './start-test-server';

/** The system's Chromium; the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
export const skipReason = `${CHROMIUM} is missing (apt-get install -y chromium); this test only runs where Chromium is installed, and always in CI`;

/** Headless Chromium with nothing in the background that could add requests or time. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
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
}

/**
 * A server of every example chain on runtime-local with the examples' fakes, as `pnpm start` serves them
 * (with error details shown), on a free loopback port.
 */
export async function startExamplesServer(latency: { firstTokenMs: number; tokenMs: number }) {
  const runtime = createLocalRuntime(exampleFakes(latency));
  return startTestServer({ runtime, chains, exposeErrorDetails: true });
}

/**
 * Opens the playground at `chain` and waits until it is ready; collects page errors and console errors (a CSP
 * violation is one) into `problems`.
 */
export async function openPlayground(browser: Browser, url: string, chain: string) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 940 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${url}/#${chain}`);
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
  await page.locator(`[data-node]`).first().waitFor();
  return { page, problems };
}

/** The states of the graph's nodes, by step id. */
export async function nodeStates(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-node]', (nodes) =>
    Object.fromEntries(nodes.map((node) => [node.getAttribute('data-node'), node.getAttribute('data-state')])),
  );
}
