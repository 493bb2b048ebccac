// Regenerates docs/images/run-view.png: the playground's run view in the middle of a run of the rag-assistant example
// (the answer streaming, the steps before it done, the path the choose took, a step open in the inspector).
// `pnpm --filter @stepwise/server screenshot`; needs Chromium at /usr/bin/chromium (or CHROMIUM=<path>).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { chromium } from 'playwright-core';
import { chains, exampleFakes } from '../../../examples/shared/index';
import { createServer } from '../src/create-server';
import { serve } from '../src/serve';

const output = fileURLToPath(new URL('../../../docs/images/run-view.png', import.meta.url));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

// the examples as `pnpm start` serves them, with slower tokens, so the picture catches the answer half written
const runtime = createLocalRuntime(exampleFakes({ firstTokenMs: 150, tokenMs: 45 }));
const app = createServer({ runtime, chains, logger: false });
const server = await serve(app, { port: 0, host: '127.0.0.1', signals: [] });
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 }, colorScheme: 'light' });
  await page.goto(`${server.url}/#rag-assistant`);
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
  await page.locator('#field-question').fill('Can I return hiking boots I have already worn?');
  await page.click('#run');
  await page.waitForFunction(() => (document.querySelector('#answer')?.textContent ?? '').length > 110);
  await page.click('[data-node="searchDocs"]');
  await page.mouse.move(0, 0);
  mkdirSync(dirname(output), { recursive: true });
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await server.close();
}
