import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAssetDirectory, readAssets } from '../src/playground/playground-assets';
import { playgroundHandlers } from '../src/playground/serve-playground';
import { serve } from '../src/serve';
import { classifyChain, qaChain } from './helpers/chains';
import { localRuntime } from './helpers/local-runtime';
import { startTestServer } from './helpers/start-test-server';

const ASSETS = fileURLToPath(new URL('../src/playground/assets/', import.meta.url));

/** The files the page names (stylesheet, scripts, preloads), relative to the page. */
function pageFiles(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="(playground\/[^"]+)"/g)].map((match) => match[1]!);
}

describe('the playground page and its files', () => {
  const { runtime } = localRuntime();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let secured: Awaited<ReturnType<typeof startTestServer>>;
  let bare: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer({ runtime, chains: [qaChain, classifyChain] });
    secured = await startTestServer({ runtime, chains: [qaChain], auth: { apiKeys: ['k-1'] } });
    bare = await startTestServer({ runtime, chains: [qaChain], playground: false });
  });
  afterAll(async () => {
    await Promise.all([server.close(), secured.close(), bare.close()]);
  });

  it('serves the page revalidated, with a content security policy, gzipped when asked, 304 when unchanged', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'sha256-[\w+/]+=*';/);
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    const etag = page.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const html = await page.text();
    expect(html).toContain('<title>stepwise playground</title>');
    expect(html).not.toContain('%ASSET_BASE%');
    // boot.js is carried inline, first in the head, and the policy allows exactly it
    const boot = readFileSync(join(ASSETS, 'boot.js'), 'utf8');
    expect(html).toContain(`<link rel="icon" href="data:,">\n<script>${boot}</script>`);
    expect(csp).toContain(`'sha256-${createHash('sha256').update(boot).digest('base64')}'`);
    const again = await fetch(`${server.url}/`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const raw = await rawGet(`${server.url}/`, { 'accept-encoding': 'gzip' });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(raw.body).toString()).toBe(html);
    const plain = await rawGet(`${server.url}/`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(html);
  });

  it('serves every file the page names, with its content type, cached for good under a versioned URL', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const files = pageFiles(html);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const version = files[0]!.split('/')[1]!;
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    const served = new Set<string>();
    let gzipped = Buffer.byteLength(html) / 3;
    // the page's files, then every module they import (statically, or later with import())
    const queue = [...files];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const name = file.split('/').at(-1)!;
      if (served.has(name)) continue;
      served.add(name);
      const response = await fetch(`${server.url}/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toBe(
        file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const text = await response.text();
      for (const [, imported, later] of text.matchAll(/from '\.\/([\w-]+\.js)'|import\('\.\/([\w-]+\.js)'\)/g)) {
        queue.push(`playground/${version}/${imported ?? later}`);
      }
      gzipped += (await rawGet(`${server.url}/${file}`, { 'accept-encoding': 'gzip' })).body.length;
    }
    // what the first view runs is preloaded: app.js and its static imports
    const app = await (await fetch(`${server.url}/playground/${version}/app.js`)).text();
    for (const [, imported] of app.matchAll(/from '\.\/([\w-]+\.js)'/g)) {
      expect(files).toContain(`playground/${version}/${imported}`);
    }
    expect(app).toContain("import('./extras.js')");
    // everything in the folder but type declarations is loaded by the page; boot.js is inside it, and no file
    const onDisk = readdirSync(ASSETS).filter(
      (name) => name !== 'index.html' && name !== 'boot.js' && !name.endsWith('.d.ts'),
    );
    expect([...served].sort()).toEqual(onDisk.sort());
    expect((await fetch(`${server.url}/playground/${version}/boot.js`)).status).toBe(404);
    expect(gzipped).toBeLessThan(100 * 1024);

    const old = await fetch(`${server.url}/playground/000000000000/app.js`);
    expect(old.status).toBe(200);
    expect(old.headers.get('cache-control')).toBe('no-cache');
    const missing = await fetch(`${server.url}/playground/${version}/nothing.js`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.name).toBe('NotFoundError');
    const declarations = await fetch(`${server.url}/playground/${version}/graph.d.ts`);
    expect(declarations.status).toBe(404);
    const traversal = await fetch(`${server.url}/playground/${version}/..%2Fplayground-assets.ts`);
    expect(traversal.status).toBe(404);
  });

  it('keeps the page and its files open when the API needs a key', async () => {
    const html = await (await fetch(`${secured.url}/`)).text();
    for (const file of pageFiles(html)) expect((await fetch(`${secured.url}/${file}`)).status).toBe(200);
    expect((await fetch(`${secured.url}/v1/chains/qa`)).status).toBe(401);
    const authorised = await fetch(`${secured.url}/v1/chains/qa`, { headers: { authorization: 'Bearer k-1' } });
    expect(authorised.status).toBe(200);
  });

  it('with playground: false, answers / with JSON and serves no files', async () => {
    const root = await fetch(`${bare.url}/`);
    expect(await root.json()).toEqual({ status: 'ok' });
    const html = await (await fetch(`${server.url}/`)).text();
    expect((await fetch(`${bare.url}/${pageFiles(html)[0]}`)).status).toBe(404);
  });

  it('GET /v1/chains/:name: the chain as data, steps included; 404 for another name', async () => {
    const response = await fetch(`${server.url}/v1/chains/qa`);
    expect(response.status).toBe(200);
    const body = await response.json();
    // the list's entry, and the definition
    expect(body).toMatchObject({
      name: 'qa',
      description: 'Answers questions from the docs.',
      inputSchema: expect.objectContaining({ type: 'object', required: ['question'] }),
      streams: true,
      steps: JSON.parse(JSON.stringify(qaChain.steps)),
    });
    const classify = await (await fetch(`${server.url}/v1/chains/classify`)).json();
    expect(classify.streams).toBe(false);
    expect(classify.inputSchema).toBeUndefined();
    const unknown = await fetch(`${server.url}/v1/chains/nope`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe('No chain is named "nope".');
  });
});

describe('without its files (a bundle that left them out)', () => {
  it('answers / with {"status":"ok"}, still a readiness check, and serves no files', async () => {
    const handlers = playgroundHandlers(() => null);
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/') return handlers.page(req, res);
      res.statusCode = 404;
      res.end();
    };
    const handle = await serve(listener, { port: 0, host: '127.0.0.1', signals: [] });
    try {
      const root = await fetch(`${handle.url}/`);
      expect(root.status).toBe(200);
      expect(await root.json()).toEqual({ status: 'ok' });
      // the route to the files matches only files that exist: none
      expect(handlers.hasFile('app.js')).toBe(false);
      expect(handlers.hasFile('index.html')).toBe(false);
      expect(playgroundHandlers().hasFile('app.js')).toBe(true);
    } finally {
      await handle.close();
    }
  });
});

describe('finding the files', () => {
  const root = mkdtempSync(join(tmpdir(), 'stepwise-playground-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('beside the sources (src/playground/assets) and beside the build (dist/playground/assets)', () => {
    const source = join(root, 'src', 'playground');
    mkdirSync(join(source, 'assets'), { recursive: true });
    writeFileSync(join(source, 'assets', 'index.html'), '<link href="%ASSET_BASE%/a.css">');
    expect(findAssetDirectory(source)).toBe(join(source, 'assets'));
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'playground', 'assets'), { recursive: true });
    writeFileSync(join(dist, 'playground', 'assets', 'index.html'), '<link href="%ASSET_BASE%/a.css">');
    expect(findAssetDirectory(dist)).toBe(join(dist, 'playground', 'assets'));
    expect(() => findAssetDirectory(join(root, 'elsewhere'))).toThrow(/playground's files are missing/);
  });

  it('names the files by a version that changes with any file', () => {
    const folder = join(root, 'versioned');
    mkdirSync(folder);
    writeFileSync(join(folder, 'index.html'), '<link href="%ASSET_BASE%/a.css">');
    writeFileSync(join(folder, 'a.css'), 'body { color: red }');
    writeFileSync(join(folder, 'notes.txt'), 'not served');
    const first = readAssets(folder);
    expect([...first.files.keys()]).toEqual(['a.css']);
    expect(first.page.body.toString()).toBe(`<link href="playground/${first.version}/a.css">`);
    writeFileSync(join(folder, 'a.css'), 'body { color: blue }');
    const second = readAssets(folder);
    expect(second.version).not.toBe(first.version);
    expect(second.files.get('a.css')!.etag).not.toBe(first.files.get('a.css')!.etag);
  });

  it('carries a data-inline script inline, allowed by its hash; one that could end the element early stays a file', () => {
    const folder = join(root, 'inline');
    mkdirSync(folder);
    const script = "fetch('v1/chains');\n";
    writeFileSync(
      join(folder, 'index.html'),
      '<script src="%ASSET_BASE%/boot.js" data-inline></script>\n<script src="%ASSET_BASE%/odd.js" data-inline></script>',
    );
    writeFileSync(join(folder, 'boot.js'), script);
    writeFileSync(join(folder, 'odd.js'), "document.write('</script>');");
    const assets = readAssets(folder);
    expect(assets.page.body.toString()).toBe(
      `<script>${script}</script>\n<script src="playground/${assets.version}/odd.js"></script>`,
    );
    expect([...assets.files.keys()]).toEqual(['odd.js']);
    const hash = createHash('sha256').update(script).digest('base64');
    expect(assets.csp).toBe(
      `default-src 'none'; script-src 'self' 'sha256-${hash}'; style-src 'self'; img-src 'self' data:; ` +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});

/** A GET with exactly these headers (fetch always asks for gzip), the body as bytes. */
async function rawGet(url: string, headers: Record<string, string>) {
  const { request } = await import('node:http');
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
