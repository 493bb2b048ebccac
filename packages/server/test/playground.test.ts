import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLocalRuntime } from '@stepwise/runtime-local';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chains, exampleFakes, sampleInput } from '../../../examples/shared/index';
import {
  chromiumMissing,
  launchChromium,
  nodeStates,
  openPlayground,
  skipReason,
  startExamplesServer,
} from './helpers/playground-browser';
import { startTestServer } from './helpers/start-test-server';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
const skip = chromiumMissing && !process.env.CI;

/** Each example's input, as a user types it into the form (the digest with two of its documents). */
const inputs: Record<string, any> = {
  ...sampleInput,
  'rag-assistant': { question: 'Can I return hiking boots I have already worn?', history: [] },
  'parallel-map': {
    ...(sampleInput['parallel-map'] as object),
    documents: (sampleInput['parallel-map'] as { documents: unknown[] }).documents.slice(0, 2),
  },
};

/** Types a value into the generated form: strings into their fields, arrays item by item with "Add". */
async function fillForm(page: Page, value: Record<string, unknown>, path: (string | number)[] = []) {
  for (const [key, inner] of Object.entries(value)) {
    const at = [...path, key];
    const id = `#field-${at.join('-')}`;
    if (typeof inner === 'string') {
      await page.locator(id).fill(inner);
    } else if (Array.isArray(inner)) {
      for (const [index, item] of inner.entries()) {
        if ((await page.locator(`#field-${[...at, index].join('-')}`).count()) === 0) await page.click(`${id}-add`);
        await fillForm(page, item as Record<string, unknown>, [...at, index]);
      }
    }
  }
}

/** What runtime-local answers for the input, with the same fakes. */
async function expectedText(chainName: string, input: unknown) {
  const chain = chains.find((candidate) => candidate.name === chainName)!;
  const result = await createLocalRuntime(exampleFakes({ firstTokenMs: 0, tokenMs: 0 })).run(chain, input);
  return result.text;
}

describe('the run view in headless Chromium', () => {
  let fast: Awaited<ReturnType<typeof startExamplesServer>> | undefined;
  let slow: Awaited<ReturnType<typeof startExamplesServer>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (skip) return;
    [fast, slow, browser] = await Promise.all([
      startExamplesServer({ firstTokenMs: 5, tokenMs: 2 }),
      startExamplesServer({ firstTokenMs: 40, tokenMs: 80 }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await fast?.close();
    await slow?.close();
  });

  for (const chain of chains) {
    it(`runs ${chain.name} from its form: every step ends done or skipped, the answer streams`, async (context) => {
      if (skip) context.skip(skipReason);
      const { page, problems } = await openPlayground(browser!, fast!.url, chain.name);
      try {
        expect(await page.locator('#chain').inputValue()).toBe(chain.name);
        expect(await page.locator('#description').textContent()).toBe(chain.description);
        const before = await nodeStates(page);
        expect(Object.values(before).every((state) => state === 'pending')).toBe(true);
        await fillForm(page, inputs[chain.name]);
        expect(JSON.parse(await page.locator('#input-json').inputValue())).toEqual(inputs[chain.name]);
        const request = page.waitForRequest((candidate) => candidate.url().endsWith(`/${chain.name}/stream`));
        await page.click('#run');
        expect((await request).postDataJSON()).toEqual({ input: inputs[chain.name] });
        await page.locator('#run-status[data-status="done"]').waitFor();
        const after = await nodeStates(page);
        expect(Object.keys(after)).toEqual(Object.keys(before));
        expect(Object.values(after).every((state) => state === 'done' || state === 'skipped')).toBe(true);
        expect(after[chain.steps.at(-1)!.id]).toBe('done');
        const answer = await page.locator('#answer').textContent();
        if (chain.name === 'ab-test') {
          // the variant is random: one lane is taken, and its steps are the ones that ran
          const lanes = await page.$$eval('.lane-label', (labels) =>
            labels.map((label) => [label.getAttribute('data-lane'), label.getAttribute('data-lane-state')]),
          );
          const taken = lanes.filter(([, state]) => state === 'taken').map(([id]) => id);
          expect(taken).toHaveLength(1);
          expect(after.directPrompt).toBe(taken[0] === 'experiment/direct' ? 'done' : 'skipped');
          expect(after.outline).toBe(taken[0] === 'experiment/outlined' ? 'done' : 'skipped');
          expect(answer!.length).toBeGreaterThan(0);
        } else {
          expect(answer).toBe(await expectedText(chain.name, inputs[chain.name]));
        }
        expect(await page.locator('#run-status').textContent()).toMatch(/^Done in \d+(\.\d)? ms/);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('opens on the first chain without a name in the URL, reading each API answer once', async (context) => {
    if (skip) context.skip(skipReason);
    const page = await browser!.newPage();
    try {
      const reads: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/v1/')) reads.push(new URL(request.url()).pathname);
      });
      await page.goto(`${fast!.url}/`);
      await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
      expect(await page.locator('#chain').inputValue()).toBe(chains[0]!.name);
      expect(await page.locator('[data-node]').count()).toBeGreaterThan(0);
      expect(page.url()).toBe(`${fast!.url}/#${chains[0]!.name}`);
      await page.waitForLoadState('networkidle');
      expect(reads).toEqual(['/v1/chains', `/v1/chains/${chains[0]!.name}`]);
    } finally {
      await page.close();
    }
  });

  it('shows each state mid-run, the path taken, and a step inspected with the mouse or the keyboard', async (context) => {
    if (skip) context.skip(skipReason);
    const { page, problems } = await openPlayground(browser!, slow!.url, 'rag-assistant');
    try {
      await fillForm(page, inputs['rag-assistant']);
      await page.click('#run');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-node="answer"]')?.getAttribute('data-state') === 'running' &&
          (document.querySelector('#answer')?.textContent ?? '').length > 0,
      );
      expect(await nodeStates(page)).toEqual({
        analyze: 'done',
        extractKeywords: 'done',
        checkNeedsContext: 'done',
        context: 'done',
        searchDocs: 'done',
        searchFailed: 'skipped',
        answer: 'running',
      });
      const lane = (id: string) => page.locator(`.lane-label[data-lane="${id}"]`).getAttribute('data-lane-state');
      expect(await lane('context/case1')).toBe('taken');
      expect(await lane('context/otherwise')).toBe('skipped');
      expect(await page.locator('[data-node="analyze"] .node-facts').textContent()).toMatch(/^\d+(\.\d)? ms$/);

      await page.click('[data-node="searchDocs"]');
      await expect.poll(() => page.locator('#inspector-title').textContent()).toMatch(/^searchDocs/);
      expect(await page.locator('[data-node="searchDocs"]').getAttribute('aria-current')).toBe('true');
      const inspector = page.locator('#inspector');
      expect(await inspector.locator('h3').allTextContents()).toEqual(['Retrieved documents', 'Output']);
      expect(await inspector.locator('.source-title').count()).toBeGreaterThan(0);
      expect(await inspector.locator('.json-key').first().textContent()).toBe('"results": ');

      // the keyboard: arrows move between steps, Enter opens one
      await page.focus('[data-node="analyze"]');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-node'))).toBe('extractKeywords');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#inspector-title').textContent()).toMatch(/^extractKeywords/);
      expect(await inspector.textContent()).toContain('in analyze › keywords');

      await page.locator('#run-status[data-status="done"]').waitFor();
      await page.click('[data-node="analyze"]');
      await expect
        .poll(() => inspector.locator('h4').allTextContents())
        .toEqual(['Branch keywords', 'Branch needsContext']);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lists the map iterations with their status', async (context) => {
    if (skip) context.skip(skipReason);
    const { page } = await openPlayground(browser!, fast!.url, 'parallel-map');
    try {
      await fillForm(page, inputs['parallel-map']);
      await page.click('#run');
      await page.locator('#run-status[data-status="done"]').waitFor();
      await page.click('[data-node="summaries"]');
      const items = page.locator('#inspector .iterations > li');
      await expect.poll(() => items.count()).toBe(2);
      expect(await items.evaluateAll((list) => list.map((item) => item.getAttribute('data-state')))).toEqual([
        'done',
        'done',
      ]);
      await items.first().locator('summary').click();
      await expect
        .poll(() => items.first().locator('.json-key').allTextContents())
        .toEqual(['"title": ', '"summary": ']);
      expect(await page.locator('.frame-caption').textContent()).toBe('each item of input.documents · 2 of 2 done');
    } finally {
      await page.close();
    }
  });

  it('shows a failure: the failed step with its error, the step before it done, the rest skipped', async (context) => {
    if (skip) context.skip(skipReason);
    const { page, problems } = await openPlayground(browser!, fast!.url, 'api-call');
    try {
      await fillForm(page, { customerId: 'c-42', request: 'Refund everything please' });
      await page.click('#run');
      await page.locator('#run-status[data-status="failed"]').waitFor();
      expect(await nodeStates(page)).toEqual({ buildRequest: 'done', callApi: 'failed', explain: 'skipped' });
      const error = await page.locator('#error').textContent();
      expect(error).toContain('StepFailedError');
      expect(error).toContain('InvalidApiRequest');
      expect(error).toContain('Step: callApi');
      await page.click('[data-node="callApi"]');
      expect(await page.locator('#inspector .step-error').textContent()).toContain('refundEverything');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the issues of a 422 beside their fields', async (context) => {
    if (skip) context.skip(skipReason);
    const { page } = await openPlayground(browser!, fast!.url, 'router');
    try {
      await page.locator('#field-customerId').fill('c-42');
      await page.click('#run');
      await page.locator('#field-message[aria-invalid="true"]').waitFor();
      expect(await page.locator('#error').textContent()).toContain('422 InputValidationError');
      expect(await page.locator('#field-message + .issue').textContent()).toBeTruthy();
      expect(await page.locator('#field-customerId').getAttribute('aria-invalid')).toBeNull();
    } finally {
      await page.close();
    }
  });

  it('Stop marks the running step cancelled and aborts the run on the server', async (context) => {
    if (skip) context.skip(skipReason);
    const { page, problems } = await openPlayground(browser!, slow!.url, 'router');
    try {
      await fillForm(page, { customerId: 'c-42', message: 'I am cancelling, it is too expensive.' });
      await page.click('#run');
      await page.waitForFunction(() => (document.querySelector('#answer')?.textContent ?? '').length > 0);
      await page.click('#stop');
      await page.locator('#run-status[data-status="stopped"]').waitFor();
      expect(await nodeStates(page)).toMatchObject({ classify: 'done', route: 'done', reply: 'cancelled' });
      expect(await page.locator('#run').isEnabled()).toBe(true);
      expect(await page.locator('#stop').isDisabled()).toBe(true);
      await expect
        .poll(() => slow!.logs.find((line) => line.path === '/v1/chains/router/stream')?.outcome)
        .toBe('aborted');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('switching chains clears the run (and stops one that streams)', async (context) => {
    if (skip) context.skip(skipReason);
    const { page } = await openPlayground(browser!, slow!.url, 'ab-test');
    try {
      await fillForm(page, { question: 'How do I pick a sleeping bag?' });
      await page.click('#run');
      await page.waitForFunction(() => (document.querySelector('#answer')?.textContent ?? '').length > 0);
      await page.click('[data-node="experiment"]');
      const logged = slow!.logs.length;
      await page.selectOption('#chain', 'router');
      await page.locator('[data-node="classify"]').waitFor();
      expect(await page.locator('#run-status').textContent()).toBe('Not run yet.');
      expect(await page.locator('#answer').textContent()).toBe('');
      expect(await page.locator('#inspector-title').textContent()).toBe('Step');
      expect(Object.values(await nodeStates(page)).every((state) => state === 'pending')).toBe(true);
      expect(await page.locator('#stop').isDisabled()).toBe(true);
      expect(page.url()).toMatch(/#router$/);
      await expect
        .poll(() =>
          slow!.logs
            .slice(logged - 1)
            .some((line) => line.path === '/v1/chains/ab-test/stream' && line.outcome === 'aborted'),
        )
        .toBe(true);
    } finally {
      await page.close();
    }
  });

  it('chat mode keeps the conversation and sends the history through /chat', async (context) => {
    if (skip) context.skip(skipReason);
    const { page, problems } = await openPlayground(browser!, fast!.url, 'rag-assistant');
    try {
      expect(await page.locator('#mode').isVisible()).toBe(true);
      await page.click('#mode-chat');
      const bodies: any[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/rag-assistant/chat')) bodies.push(request.postDataJSON());
      });
      await page.locator('#chat-message').fill('Can I return hiking boots I have already worn?');
      await page.keyboard.press('Enter');
      await page.locator('#conversation .message.assistant[data-state="done"]').waitFor();
      const first = await page.locator('#conversation .message.assistant .text').textContent();
      expect(first).toBe(
        await expectedText('rag-assistant', { question: 'Can I return hiking boots I have already worn?' }),
      );
      await page.locator('#chat-message').fill('Do you rent snowshoes?');
      await page.click('#send');
      await expect.poll(() => page.locator('#conversation .message.assistant[data-state="done"]').count()).toBe(2);
      expect(bodies).toHaveLength(2);
      expect(bodies[1].id).toBe(bodies[0].id);
      expect(bodies[1].trigger).toBe('submit-message');
      expect(bodies[1].messages.map((message: any) => [message.role, message.parts[0].text])).toEqual([
        ['user', 'Can I return hiking boots I have already worn?'],
        ['assistant', first],
        ['user', 'Do you rent snowshoes?'],
      ]);
      const history = [
        { role: 'user', content: 'Can I return hiking boots I have already worn?' },
        { role: 'assistant', content: first },
      ];
      const second = await page.locator('#conversation .message.assistant .text').nth(1).textContent();
      expect(second).toBe(await expectedText('rag-assistant', { question: 'Do you rent snowshoes?', history }));
      expect(await nodeStates(page)).toMatchObject({ answer: 'done' });

      await page.click('#chat-new');
      expect(await page.locator('#conversation li').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('chat mode: a stopped turn is not sent back as history', async (context) => {
    if (skip) context.skip(skipReason);
    const { page } = await openPlayground(browser!, slow!.url, 'rag-assistant');
    try {
      await page.click('#mode-chat');
      const bodies: any[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/rag-assistant/chat')) bodies.push(request.postDataJSON());
      });
      await page.locator('#chat-message').fill('Can I return hiking boots I have already worn?');
      await page.click('#send');
      await page.waitForFunction(
        () => (document.querySelector('#conversation .assistant .text')?.textContent ?? '').length > 5,
      );
      await page.click('#stop');
      await page.locator('#conversation .message.assistant[data-state="stopped"]').waitFor();
      expect(await page.locator('#conversation .message.user').getAttribute('data-state')).toBe('stopped');
      expect(await nodeStates(page)).toMatchObject({ answer: 'cancelled' });
      await page.locator('#chat-message').fill('Do you rent snowshoes?');
      await page.click('#send');
      await page.locator('#conversation .message.assistant[data-state="done"]').waitFor();
      expect(bodies[1].messages.map((message: any) => message.parts[0].text)).toEqual(['Do you rent snowshoes?']);
    } finally {
      await page.close();
    }
  });

  it('asks for the API key when the server wants one, and sends it', async (context) => {
    if (skip) context.skip(skipReason);
    const runtime = createLocalRuntime(exampleFakes({ firstTokenMs: 5, tokenMs: 2 }));
    const secured = await startTestServer({ runtime, chains, auth: { apiKeys: ['k-1'] } });
    const page = await browser!.newPage();
    try {
      await page.goto(`${secured.url}/#router`);
      await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
      expect(await page.locator('#error').textContent()).toContain('401 UnauthorizedError');
      await page.click('.settings summary');
      await page.locator('#api-key').fill('k-1');
      await page.locator('#api-key').press('Tab');
      await page.locator('[data-node="classify"]').waitFor();
      expect(await page.locator('#error').textContent()).toBe('');
      await fillForm(page, { customerId: 'c-7', message: 'Is my tent covered by the warranty?' });
      const request = page.waitForRequest((candidate) => candidate.url().endsWith('/router/stream'));
      await page.click('#run');
      expect((await request).headers().authorization).toBe('Bearer k-1');
      await page.locator('#run-status[data-status="done"]').waitFor();
      await page.click('#copy-curl');
      expect(await page.locator('#command').textContent()).toContain('-H "authorization: Bearer $STEPWISE_API_KEY"');
      // a reload reads the kept key before anything else
      await page.reload();
      await page.locator('[data-node="classify"]').waitFor();
      expect(await page.locator('#error').textContent()).toBe('');
    } finally {
      await page.close();
      await secured.close();
    }
  });

  it('"copy as curl" and "copy as CLI command" reproduce the run; times go out rounded to 0.1 ms', async (context) => {
    if (skip) context.skip(skipReason);
    const { page } = await openPlayground(browser!, fast!.url, 'router');
    try {
      const input = { customerId: 'c-7', message: "Is my tent covered by the warranty? It's torn." };
      await fillForm(page, input);
      await page.click('#run');
      await page.locator('#run-status[data-status="done"]').waitFor();
      const answer = (await page.locator('#answer').textContent())!;

      await page.click('#copy-curl');
      const curl = (await page.locator('#command').textContent())!;
      expect(curl).toMatch(/^curl -N http:\/\/127\.0\.0\.1:\d+\/v1\/chains\/router\/stream /);
      const { stdout: sse } = await run('sh', ['-c', `${curl} -s`]);
      const parts = sse
        .split('\n\n')
        .filter((block) => block.startsWith('data: {'))
        .map((block) => JSON.parse(block.slice(6)));
      expect(
        parts
          .filter((part) => part.type === 'text-delta')
          .map((part) => part.delta)
          .join(''),
      ).toBe(answer);
      const times = [...sse.matchAll(/"ms":([\d.]+)/g)].map((match) => match[1]!);
      expect(times.length).toBeGreaterThan(3);
      for (const ms of times) expect(ms).toMatch(/^\d+(\.\d)?$/);

      await page.click('.settings summary');
      await page.locator('#cli-file').fill('examples/shared');
      await page.locator('#cli-file').dispatchEvent('change');
      await page.click('#copy-cli');
      const cli = (await page.locator('#command').textContent())!;
      expect(cli).toBe(
        `stepwise run examples/shared --chain router --input '${JSON.stringify(input).replaceAll("'", "'\\''")}'`,
      );
      const local = cli.replace(
        /^stepwise /,
        `"${process.execPath}" --import tsx --conditions=stepwise-source packages/cli/src/bin.ts `,
      );
      const { stdout } = await run('sh', ['-c', local], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
      expect(stdout.trim()).toBe(answer.trim());
    } finally {
      await page.close();
    }
  }, 60_000);
});
