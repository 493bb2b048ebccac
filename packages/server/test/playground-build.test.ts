import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRuntime } from '@stepwise/runtime-local';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chains, exampleFakes } from '../../../examples/shared/index';
import { buildPlaygroundAssets } from '../scripts/build-playground-assets';
import { createServer } from '../src/create-server';
import { readAssets } from '../src/playground/playground-assets';
import { playgroundHandlers } from '../src/playground/serve-playground';
import { chromiumMissing, launchChromium, skipReason } from './helpers/playground-browser';

const SOURCE = fileURLToPath(new URL('../src/playground/assets/', import.meta.url));
const skip = chromiumMissing && !process.env.CI;

describe("the package build's playground files", () => {
  const target = mkdtempSync(join(tmpdir(), 'stepwise-playground-build-'));
  let written: string[] = [];
  beforeAll(async () => {
    written = await buildPlaygroundAssets(SOURCE, target);
  });
  afterAll(() => rmSync(target, { recursive: true, force: true }));

  it('are five: the page, the stylesheet, boot.js, app.js with everything it imports, and the deferred extras', () => {
    expect(written).toEqual(['app.js', 'boot.js', 'extras.js', 'index.html', 'playground.css']);
    const app = readFileSync(join(target, 'app.js'), 'utf8');
    const extras = readFileSync(join(target, 'extras.js'), 'utf8');
    // bundles: no static import left; app.js loads extras.js itself once the page is interactive
    for (const bundle of [app, extras]) expect(bundle).not.toMatch(/(^|[;}\s])import\s*[{*\w]|\bfrom\s*["']\.\//);
    expect(app.match(/import\(["'][^"']+["']\)/g)).toEqual(['import("./extras.js")']);
    expect(app).toContain('stepwise:interactive');
    expect(extras).toContain('renderInspector');
    // the page preloads no module the build folded into app.js
    const page = readFileSync(join(target, 'index.html'), 'utf8');
    const named = [...page.matchAll(/%ASSET_BASE%\/([^"]+)"/g)].map((match) => match[1]);
    expect(named).toEqual(['boot.js', 'playground.css', 'app.js', 'app.js']);
    expect(page).toContain('<script src="%ASSET_BASE%/boot.js" data-inline></script>');
    // minified, and smaller than the sources
    const sources = ['app.js', 'api.js', 'chat.js', 'format.js', 'graph.js', 'graph-view.js', 'layout.js']
      .concat(['run-state.js', 'schema-form.js'])
      .reduce((sum, name) => sum + readFileSync(join(SOURCE, name)).length, 0);
    expect(app.length).toBeLessThan(sources * 0.6);
    const served = readAssets(target);
    expect([...served.files.keys()].sort()).toEqual(['app.js', 'extras.js', 'playground.css']);
    expect(served.page.body.toString()).toContain(`<script>${readFileSync(join(target, 'boot.js'), 'utf8')}</script>`);
  });

  describe('in headless Chromium', () => {
    let server: Server | undefined;
    let url = '';
    let browser: Browser | undefined;

    beforeAll(async () => {
      if (skip) return;
      const assets = readAssets(target);
      const playground = playgroundHandlers(() => assets);
      const app = createServer({
        runtime: createLocalRuntime(exampleFakes({ firstTokenMs: 5, tokenMs: 2 })),
        chains,
        logger: false,
        playground: false,
      });
      server = createHttpServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const file = /^\/playground\/([^/]+)\/([^/]+)$/.exec(path);
        if (path === '/') playground.page(req, res);
        else if (file !== null && playground.hasFile(file[2]!))
          playground.asset(req, res, { version: file[1]!, file: file[2]! });
        else app(req, res);
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });

    it('loads in three files and two API reads, runs a chain, and inspects a step', async (context) => {
      if (skip) context.skip(skipReason);
      const page = await browser!.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(new URL(request.url()).pathname.replace(/\/[0-9a-f]{12}\//, '/')));
      try {
        await page.goto(`${url}/#rag-assistant`);
        await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
        // extras.js follows once the page is interactive
        expect(requests.filter((path) => path !== '/playground/extras.js').sort()).toEqual([
          '/',
          '/playground/app.js',
          '/playground/playground.css',
          '/v1/chains',
          '/v1/chains/rag-assistant',
        ]);
        await page.locator('#field-question').fill('Can I return hiking boots I have already worn?');
        await page.click('#run');
        await page.locator('#run-status[data-status="done"]').waitFor();
        await page.click('[data-node="searchDocs"]');
        await page.locator('#inspector .json-key').first().waitFor();
        expect(requests.filter((path) => path === '/playground/extras.js')).toHaveLength(1);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
