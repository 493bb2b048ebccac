/**
 * A page load of the playground (`GET /` of @stepwise/server) in headless Chromium on loopback: bytes transferred
 * and time to interactive. The server serves the example chains (as `pnpm start` does) from the built packages, in its
 * own process (as in production: the browser's driver does not share its event loop).
 *
 * - Bytes: the sum of Resource Timing's `transferSize` over the load (what came over the wire for each response,
 *   headers included, gzipped where the server gzips; 0 for a file from the cache): the page (boot.js inside it), the
 *   stylesheet, the bundled modules (app.js, and extras.js once the page is interactive), `GET /v1/chains` and
 *   `GET /v1/chains/rag-assistant`.
 * - Time to interactive: from the start of the navigation to the `stepwise:interactive` mark, which the page sets
 *   once the chain list is loaded, the first chain's graph is drawn and its input form is built with every handler
 *   attached (what a user needs to run it).
 *
 * A blank page's cold load is measured beside it, as the floor of what a fresh browser context costs on the machine
 * at the time (the machine is shared: its load moves every number).
 *
 * A cold load is a fresh browser context (empty cache); a warm load comes back to the page in the same context (the
 * versioned files come from the cache, the page is revalidated with its ETag). Targets: a cold load under 100 KB and
 * its median time to interactive under 300 ms.
 *
 * `BASELINE=<git revision>` also measures that revision's page files, served by the same built server in the same
 * process, each of its loads right after the matching load of today's files: a before/after in the same conditions.
 * The revision's files are taken from git (`packages/server/src/playground/assets`) and prepared as its build did
 * (copied; or bundled, when the revision has `scripts/build-playground-assets.ts`), beside a copy of today's built
 * server in `packages/server/node_modules/.bench-baseline/`.
 *
 * `pnpm bench playground-load` (needs Chromium at /usr/bin/chromium, or CHROMIUM=<path>; ROUNDS=20 by default).
 */
import { execFileSync, fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { createServer, serve } from '@stepwise/server';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { chains, exampleFakes } from '../examples/shared/index';
import { median, printTable } from './lib/measure';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TARGET_BYTES = 100 * 1024;
const TARGET_MS = 300;
const BASELINE = process.env.BASELINE;
const SERVER_PACKAGE = fileURLToPath(new URL('../packages/server/', import.meta.url));
const BASELINE_DIR = join(SERVER_PACKAGE, 'node_modules', '.bench-baseline');

interface Load {
  bytes: number;
  requests: number;
  interactiveMs: number;
  domContentLoadedMs: number;
}

/** The child: the examples' server on a free loopback port, until the parent says so. */
async function runServer(): Promise<void> {
  const options = {
    runtime: createLocalRuntime(exampleFakes({ firstTokenMs: 150, tokenMs: 12 })),
    chains,
    logger: false as const,
  };
  const handle = await serve(createServer(options), { port: 0, host: '127.0.0.1', signals: [] });
  // the same built server, beside the baseline's page files
  let baseline: Awaited<ReturnType<typeof serve>> | undefined;
  if (BASELINE) {
    const copy = (await import(
      pathToFileURL(join(BASELINE_DIR, 'dist', 'index.js')).href
    )) as typeof import('@stepwise/server');
    baseline = await copy.serve(copy.createServer(options), { port: 0, host: '127.0.0.1', signals: [] });
  }
  // the baseline: the smallest page there is, from a bare node:http server
  const blank = createHttpServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>blank</title><p>blank');
  });
  await new Promise<void>((resolve) => blank.listen(0, '127.0.0.1', resolve));
  const blankUrl = `http://127.0.0.1:${(blank.address() as AddressInfo).port}/`;
  process.send!({ url: handle.url, baselineUrl: baseline?.url, blankUrl });
  process.once('message', async () => {
    blank.close();
    await handle.close();
    await baseline?.close();
    process.exit(0);
  });
}

/**
 * Today's built server (`packages/server/dist`, its modules only) with the page files of `revision`, prepared as that
 * revision's build did, in `packages/server/node_modules/.bench-baseline/` (inside the package, so the copy resolves
 * the package's dependencies).
 */
async function prepareBaseline(revision: string): Promise<void> {
  if (!/^[\w./~^-]+$/.test(revision)) throw new Error(`BASELINE=${revision} is not a git revision.`);
  rmSync(BASELINE_DIR, { recursive: true, force: true });
  const dist = join(BASELINE_DIR, 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(BASELINE_DIR, 'package.json'), '{ "type": "module" }\n');
  for (const name of readdirSync(join(SERVER_PACKAGE, 'dist'))) {
    if (name.endsWith('.js')) copyFileSync(join(SERVER_PACKAGE, 'dist', name), join(dist, name));
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: SERVER_PACKAGE, maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
  const folder = 'packages/server/src/playground/assets/';
  const source = join(BASELINE_DIR, 'source');
  mkdirSync(source);
  for (const path of git('ls-tree', '--full-name', '--name-only', revision, `:/${folder}`).toString().split('\n')) {
    if (path === '') continue;
    writeFileSync(join(source, path.slice(folder.length)), git('show', `${revision}:${path}`));
  }
  if (!existsSync(join(source, 'index.html'))) throw new Error(`${revision} has no ${folder}index.html.`);
  const target = join(dist, 'playground', 'assets');
  let bundled = true;
  try {
    git('cat-file', '-e', `${revision}:packages/server/scripts/build-playground-assets.ts`);
  } catch {
    bundled = false;
  }
  if (bundled) {
    const { buildPlaygroundAssets } = await import('../packages/server/scripts/build-playground-assets');
    await buildPlaygroundAssets(source, target);
  } else {
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(source)) {
      if (!name.endsWith('.d.ts')) copyFileSync(join(source, name), join(target, name));
    }
  }
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`Chromium is missing at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM): not measured.`);
    process.exitCode = 1;
    return;
  }
  if (BASELINE) await prepareBaseline(BASELINE);
  const loadBefore = loadavg();
  const child = fork(fileURLToPath(import.meta.url), ['--server'], { execArgv: process.execArgv });
  const started = await new Promise<{ url: string; baselineUrl?: string; blankUrl: string }>((resolve) =>
    child.once('message', resolve),
  );
  const { blankUrl } = started;
  const url = `${started.url}/#rag-assistant`;
  const baselineUrl = started.baselineUrl === undefined ? undefined : `${started.baselineUrl}/#rag-assistant`;
  const browser = await chromium.launch({
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
  const cold: Load[] = [];
  const warm: Load[] = [];
  const before = { cold: [] as Load[], warm: [] as Load[] };
  const blank: number[] = [];
  try {
    // the first round warms up the server and the browser, and is not counted
    for (let round = -1; round < ROUNDS; round++) {
      const first = await inContext(browser, (context) => load(context, url, false));
      const earlier = baselineUrl && (await inContext(browser, (context) => load(context, baselineUrl, false)));
      const second = await inContext(browser, (context) => load(context, url, true));
      const earlierWarm = baselineUrl && (await inContext(browser, (context) => load(context, baselineUrl, true)));
      const floor = await inContext(browser, (context) => loadBlank(context, blankUrl));
      if (round < 0) continue;
      cold.push(first);
      warm.push(second);
      if (earlier) before.cold.push(earlier);
      if (earlierWarm) before.warm.push(earlierWarm);
      blank.push(floor);
    }
  } finally {
    await browser.close();
    child.send('exit');
  }
  const loadAfter = loadavg();

  console.log(`Playground page load, headless Chromium on loopback, ${ROUNDS} loads each (medians):\n`);
  const rows = [row('cold (empty cache)', cold), row('warm (files cached, page revalidated)', warm)];
  if (BASELINE) {
    rows.push(row(`cold, the page files of ${BASELINE}`, before.cold));
    rows.push(row(`warm, the page files of ${BASELINE}`, before.warm));
  }
  printTable(['load', 'files', 'bytes transferred', 'time to interactive', 'p90', 'DOMContentLoaded'], rows);
  console.log(
    `\nBaseline: a blank page from a bare node:http server, in a fresh context, reaches DOMContentLoaded in ` +
      `${median(blank).toFixed(1)} ms (median) on this machine now.`,
  );
  const average = (loads: number[]) => loads.map((value) => value.toFixed(2)).join(' ');
  console.log(`Load average (1, 5, 15 min): ${average(loadBefore)} before, ${average(loadAfter)} after.`);
  const bytes = median(cold.map((entry) => entry.bytes));
  const interactive = median(cold.map((entry) => entry.interactiveMs));
  const bytesOk = bytes < TARGET_BYTES;
  const timeOk = interactive < TARGET_MS;
  console.log(
    `\nCold load: ${(bytes / 1024).toFixed(1)} KB (target < ${TARGET_BYTES / 1024} KB: ${bytesOk ? 'pass' : 'FAIL'}), ` +
      `time to interactive ${interactive.toFixed(1)} ms (target < ${TARGET_MS} ms: ${timeOk ? 'pass' : 'FAIL'}).`,
  );
  if (!(bytesOk && timeOk)) process.exitCode = 1;
}

async function inContext<T>(browser: Browser, task: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    return await task(context);
  } finally {
    await context.close();
  }
}

/**
 * Loads the page in a new tab of `context` and measures the load; with `again`, the tab has been there before. No
 * DevTools session is attached (its instrumentation slows the page): bytes come from Resource Timing, whose
 * `transferSize` is what came over the wire for each response, headers included (0 from the cache).
 */
async function load(context: BrowserContext, url: string, again: boolean): Promise<Load> {
  const page = await context.newPage();
  if (again) {
    await page.goto(url);
    await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
    // a new navigation, not a reload: a reload revalidates every file, a user coming back does not
    await page.goto('about:blank');
  }
  await page.goto(url);
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
  // the chain's detail can be the last response: let its timing entry arrive
  await page.waitForLoadState('networkidle');
  const measured = await page.evaluate(() => {
    const mark = performance.getEntriesByName('stepwise:interactive')[0];
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    return {
      interactive: mark?.startTime ?? Number.NaN,
      domContentLoaded: navigation.domContentLoadedEventEnd,
      bytes: [navigation, ...resources].reduce((sum, entry) => sum + entry.transferSize, 0),
      requests: 1 + resources.length,
    };
  });
  await page.close();
  return {
    bytes: measured.bytes,
    requests: measured.requests,
    interactiveMs: measured.interactive,
    domContentLoadedMs: measured.domContentLoaded,
  };
}

/** A cold load of the blank page: time to DOMContentLoaded. */
async function loadBlank(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  await page.goto(url);
  const ms = await page.evaluate(
    () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
  );
  await page.close();
  return ms;
}

function row(name: string, loads: Load[]): string[] {
  const times = loads.map((entry) => entry.interactiveMs).sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return [
    name,
    String(median(loads.map((entry) => entry.requests))),
    `${(median(loads.map((entry) => entry.bytes)) / 1024).toFixed(1)} KB`,
    ms(median(times)),
    ms(times[Math.min(times.length - 1, Math.floor(times.length * 0.9))]!),
    ms(median(loads.map((entry) => entry.domContentLoadedMs))),
  ];
}

if (process.argv[2] === '--server') await runServer();
else await main();
