import { execFileSync } from 'node:child_process';
import type { Chain, ChainEvent } from '@stepwise/core';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { describe, expect, it } from 'vitest';
import { chains, exampleFakes, sampleInput } from '../../../examples/shared/index';
import { createUiMessageEncoder } from '../src/create-ui-message-encoder';
import { defaultChatInput } from '../src/default-chat-input';
import { addMessage, chatInputOf, chatPath, chatRequest, createConversation } from '../src/playground/assets/chat.js';
import { cliCommand, curlCommand, shellQuote } from '../src/playground/assets/commands.js';
import { formatMs, modelName } from '../src/playground/assets/format.js';
import { buildGraph, conditionText, type Graph } from '../src/playground/assets/graph.js';
import { type Layout, layoutGraph, SIZES } from '../src/playground/assets/layout.js';
import { applyPart, createRun, endRun, type Run } from '../src/playground/assets/run-state.js';

/** The chain as `GET /v1/chains/:name` sends it: JSON. */
const asSent = (chain: Chain) => JSON.parse(JSON.stringify({ name: chain.name, steps: chain.steps }));
const chainNamed = (name: string) => chains.find((chain) => chain.name === name)!;

function allStepIds(steps: any[]): string[] {
  return steps.flatMap((step) => [
    step.id,
    ...(step.type === 'parallel' ? Object.values(step.branches).flatMap((branch: any) => allStepIds(branch)) : []),
    ...(step.type === 'choose'
      ? [...step.cases.flatMap((entry: any) => allStepIds(entry.steps)), ...allStepIds(step.otherwise ?? [])]
      : []),
    ...(step.type === 'map' ? allStepIds(step.steps) : []),
    ...(step.type === 'split' ? Object.values(step.variants).flatMap((variant: any) => allStepIds(variant.steps)) : []),
    ...(step.policy?.catch ? allStepIds(step.policy.catch.fallback) : []),
  ]);
}

const box = (layout: Layout, id: string) => layout.nodes.find((node) => node.id === id)!;
const overlaps = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('the graph and its layout, for every example chain', () => {
  for (const chain of chains) {
    it(`${chain.name}: one box per step, none overlapping, inside the canvas, input first and output last`, () => {
      const graph = buildGraph(asSent(chain));
      const layout = layoutGraph(graph);
      const ids = allStepIds(chain.steps);
      expect([...graph.nodes.keys()]).toEqual(ids);
      expect(
        layout.nodes
          .filter((node) => node.kind === 'step')
          .map((node) => node.id)
          .sort(),
      ).toEqual([...ids].sort());
      for (const [index, a] of layout.nodes.entries()) {
        expect(a.x).toBeGreaterThanOrEqual(0);
        expect(a.y).toBeGreaterThanOrEqual(0);
        expect(a.x + a.w).toBeLessThanOrEqual(layout.width);
        expect(a.y + a.h).toBeLessThanOrEqual(layout.height);
        for (const b of layout.nodes.slice(index + 1)) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
        for (const label of layout.labels) {
          expect(overlaps(a, { ...label, h: 16 }), `${a.id} and the label ${label.text}`).toBe(false);
        }
      }
      // top-level steps top to bottom in order, respond (the answer) the lowest step
      const tops = chain.steps.map((step) => box(layout, step.id).y);
      expect(tops).toEqual([...tops].sort((a, b) => a - b));
      const last = box(layout, chain.steps.at(-1)!.id);
      expect(chain.steps.at(-1)!.type).toBe('respond');
      for (const node of layout.nodes) if (node.kind === 'step') expect(node.y).toBeLessThanOrEqual(last.y);
      expect(box(layout, '@input').y).toBeLessThan(Math.min(...tops));
      expect(box(layout, '@output').y).toBeGreaterThan(last.y);
      // every arrow points at a step's top middle or, for a fallback, its left side
      for (const edge of layout.edges.filter((candidate) => candidate.arrow)) {
        const [x, y] = edge.points.at(-1)!;
        const target = layout.nodes.find(
          (node) =>
            (Math.abs(node.x + node.w / 2 - x!) < 0.5 && Math.abs(node.y - y!) < 0.5) ||
            (Math.abs(node.x - x!) < 0.5 && Math.abs(node.y + node.h / 2 - y!) < 0.5),
        );
        expect(target, `an arrow ends at ${x},${y}`).toBeDefined();
      }
    });
  }

  it('rag-assistant: parallel branches side by side, the choose case and its implicit otherwise, a fallback beside', () => {
    const graph = buildGraph(asSent(chainNamed('rag-assistant')));
    const layout = layoutGraph(graph);
    const keywords = box(layout, 'extractKeywords');
    const needs = box(layout, 'checkNeedsContext');
    expect(keywords.y).toBe(needs.y);
    expect(keywords.x + keywords.w).toBeLessThan(needs.x);
    expect(keywords.y).toBeGreaterThan(box(layout, 'analyze').y);
    expect([...graph.lanes.values()].map((lane) => [lane.id, lane.kind, lane.label])).toEqual([
      ['analyze/keywords', 'branch', 'keywords'],
      ['analyze/needsContext', 'branch', 'needsContext'],
      ['context/case1', 'case', 'when analyze.needsContext.value is true'],
      ['searchDocs/catch', 'fallback', 'catch States.ALL'],
      ['context/otherwise', 'none', 'otherwise: null'],
    ]);
    expect(graph.lanes.get('context/case1')!.title).toBe('when steps.analyze.needsContext.value is true');
    const search = box(layout, 'searchDocs');
    const fallback = box(layout, 'searchFailed');
    expect(fallback.x).toBeGreaterThan(search.x + search.w);
    expect(graph.nodes.get('searchFailed')).toMatchObject({ parentId: 'searchDocs', laneId: 'searchDocs/catch' });
    expect(graph.lanes.get('context/case1')!.nodeIds).toEqual(['searchDocs', 'searchFailed']);
    expect(layout.edges.filter((edge) => edge.kind === 'fallback')).toHaveLength(2);
  });

  it('parallel-map: the map is a node above a frame that holds its body', () => {
    const layout = layoutGraph(buildGraph(asSent(chainNamed('parallel-map'))));
    const [frame] = layout.frames;
    expect(frame!.id).toBe('summaries');
    expect(frame!.y).toBeGreaterThan(box(layout, 'summaries').y + SIZES.node.h);
    for (const id of ['summarize', 'entry']) {
      const inner = box(layout, id);
      expect(inner.x).toBeGreaterThan(frame!.x);
      expect(inner.x + inner.w).toBeLessThan(frame!.x + frame!.w);
      expect(inner.y).toBeGreaterThan(frame!.y);
      expect(inner.y + inner.h).toBeLessThan(frame!.y + frame!.h);
    }
  });

  it('ab-test: split variants are lanes labelled with their share', () => {
    const graph = buildGraph(asSent(chainNamed('ab-test')));
    expect([...graph.lanes.values()].map((lane) => lane.label)).toEqual(['direct · 50%', 'outlined · 50%']);
  });

  it('lays out nested forks, maps inside branches, empty lanes and fallbacks without overlaps', () => {
    const model = 'anthropic.claude-3-haiku-20240307-v1:0';
    const ask = (id: string) => ({ type: 'invoke', id, model, prompt: 'x', output: 'text' });
    const note = (id: string) => ({ type: 'transform', id, set: { a: 'b' } });
    const chain = {
      name: 'nested',
      steps: [
        {
          type: 'parallel',
          id: 'fan',
          branches: {
            left: [
              { type: 'map', id: 'each', items: 'input.items', steps: [ask('perItem'), note('perItemNote')] },
              ask('afterMap'),
            ],
            right: [
              {
                type: 'choose',
                id: 'pick',
                cases: [
                  { when: { op: 'isTrue', path: 'input.flag' }, steps: [] },
                  { when: { op: 'eq', path: 'input.tier', value: 'gold' }, steps: [ask('gold')] },
                ],
                otherwise: [note('plain')],
              },
            ],
            empty: [],
          },
          policy: { catch: { errors: ['States.ALL'], fallback: [] } },
        },
        {
          type: 'split',
          id: 'ab',
          variants: { a: { weight: 3, steps: [] }, b: { weight: 1, steps: [ask('bAsk'), note('bNote')] } },
        },
        {
          type: 'retrieve',
          id: 'kb',
          knowledgeBaseId: 'KB',
          query: 'q',
          policy: { catch: { errors: ['States.ALL'], fallback: [note('noDocs'), note('noDocs2')] } },
        },
        { type: 'respond', id: 'answer', model, prompt: 'x' },
      ],
    };
    const graph = buildGraph(chain);
    const layout = layoutGraph(graph);
    expect(
      layout.nodes
        .filter((node) => node.kind === 'step')
        .map((node) => node.id)
        .sort(),
    ).toEqual([...graph.nodes.keys()].sort());
    for (const [index, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(index + 1)) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
      for (const frame of layout.frames) {
        const inside = graph.nodes.get(a.id)?.parentId === frame.id;
        if (a.id !== frame.id && !inside && graph.nodes.has(a.id)) {
          expect(overlaps(a, frame), `${a.id} and the frame of ${frame.id}`).toBe(false);
        }
      }
    }
    for (const [index, a] of layout.labels.entries()) {
      for (const b of layout.labels.slice(index + 1)) {
        expect(overlaps({ ...a, h: 26 }, { ...b, h: 26 }), `labels ${a.text} and ${b.text}`).toBe(false);
      }
    }
    expect(graph.nodes.get('perItem')).toMatchObject({ parentId: 'each', laneId: undefined });
    expect(graph.lanes.get('fan/left')!.nodeIds).toEqual(['each', 'perItem', 'perItemNote', 'afterMap']);
    expect(graph.lanes.get('ab/a')!.label).toBe('a · 75%');
    expect(graph.lanes.get('fan/catch')!.nodeIds).toEqual([]);
    const [x1, y1] = [box(layout, 'bAsk').x, box(layout, 'bAsk').y];
    expect(box(layout, 'bNote').x).toBe(x1);
    expect(box(layout, 'bNote').y).toBeGreaterThan(y1);
  });

  it('says conditions as a reader would', () => {
    expect(
      conditionText({
        op: 'and',
        conditions: [
          { op: 'eq', path: 'input.tier', value: 'gold' },
          { op: 'not', condition: { op: 'lte', path: 'steps.score.value', value: 3 } },
        ],
      }),
    ).toBe('(input.tier = "gold") and (not (steps.score.value ≤ 3))');
  });
});

/** Runs a chain on runtime-local with the examples' fakes, and folds the stream's parts into a run of its graph. */
async function foldRun(
  chainName: string,
  input: unknown,
  random = Math.random,
  detail: 'top' | 'nested' = 'top',
  onPart?: (run: Run) => void,
): Promise<{ run: Run; graph: Graph }> {
  const chain = chainNamed(chainName);
  const runtime = createLocalRuntime({ ...exampleFakes({ firstTokenMs: 0, tokenMs: 0 }), random });
  const graph = buildGraph(asSent(chain));
  const run = createRun(graph);
  const encoder = createUiMessageEncoder();
  for await (const event of runtime.stream(chain, input, { detail }) as AsyncIterable<ChainEvent>) {
    for (const part of encoder.encode(event)) {
      applyPart(run, JSON.parse(JSON.stringify(part)));
      onPart?.(run);
    }
  }
  return { run, graph };
}

const states = (run: Run) => Object.fromEntries([...run.steps.values()].map((step) => [step.id, step.state]));

describe('a run folded from the stream', () => {
  it('rag-assistant: every step done or skipped, the case taken, sources on the retrieve step, the text', async () => {
    const { run } = await foldRun('rag-assistant', sampleInput['rag-assistant']);
    expect(run.status).toBe('done');
    expect(states(run)).toEqual({
      analyze: 'done',
      extractKeywords: 'done',
      checkNeedsContext: 'done',
      context: 'done',
      searchDocs: 'done',
      searchFailed: 'skipped',
      answer: 'done',
    });
    expect(Object.fromEntries(run.lanes)).toEqual({
      'analyze/keywords': 'taken',
      'analyze/needsContext': 'taken',
      'context/case1': 'taken',
      'context/otherwise': 'skipped',
      'searchDocs/catch': 'skipped',
    });
    // a branch's last step gets the branch's result from the parent's step-end
    const analyze = run.steps.get('analyze')!;
    expect(run.steps.get('checkNeedsContext')!.output).toEqual((analyze.output as any).needsContext);
    expect(run.steps.get('checkNeedsContext')!.note).toMatch(/branch needsContext of analyze/);
    expect(run.steps.get('searchDocs')!.sources.length).toBeGreaterThan(0);
    expect(run.sources).toEqual(run.steps.get('searchDocs')!.sources);
    expect(run.text.length).toBeGreaterThan(0);
    expect(run.text).toBe((run.steps.get('answer')!.output as { text: string }).text);
    expect(run.steps.get('answer')!.usage).toBeDefined();
    for (const step of run.steps.values())
      if (step.ms !== undefined) expect(step.ms * 10).toBe(Math.round(step.ms * 10));
  });

  it('router: the retention case or the otherwise lane, by the message', async () => {
    const churn = await foldRun('router', { customerId: 'c-42', message: 'I am cancelling, it is too expensive.' });
    expect(states(churn.run)).toMatchObject({ createOffer: 'done', retentionBrief: 'done', supportBrief: 'skipped' });
    expect(churn.run.lanes.get('route/case1')).toBe('taken');
    const support = await foldRun('router', { customerId: 'c-7', message: 'Is my tent covered by the warranty?' });
    expect(states(support.run)).toMatchObject({
      createOffer: 'skipped',
      retentionBrief: 'skipped',
      supportBrief: 'done',
    });
    expect(support.run.lanes.get('route/otherwise')).toBe('taken');
    expect(support.run.steps.get('createOffer')!.note).toBe('Not on the path the run took.');
  });

  it('ab-test: the variant the split picked is the lane taken', async () => {
    const outlined = await foldRun('ab-test', sampleInput['ab-test'], () => 0.9);
    expect(outlined.run.lanes.get('experiment/outlined')).toBe('taken');
    expect(states(outlined.run)).toMatchObject({ directPrompt: 'skipped', outline: 'done', outlinedPrompt: 'done' });
    const direct = await foldRun('ab-test', sampleInput['ab-test'], () => 0.1);
    expect(direct.run.lanes.get('experiment/direct')).toBe('taken');
    expect(states(direct.run)).toMatchObject({ directPrompt: 'done', outline: 'skipped', outlinedPrompt: 'skipped' });
  });

  it('parallel-map: one iteration per document with its result, the body steps done', async () => {
    const input = sampleInput['parallel-map'] as { documents: unknown[] };
    const { run } = await foldRun('parallel-map', input);
    const summaries = run.steps.get('summaries')!;
    expect(summaries.iterations).toHaveLength(input.documents.length);
    expect(summaries.iterations!.every((iteration) => iteration.state === 'done')).toBe(true);
    expect(summaries.iterations![0]!.output).toEqual((summaries.output as unknown[])[0]);
    expect(states(run)).toEqual({ summaries: 'done', summarize: 'done', entry: 'done', synthesis: 'done' });
    expect(run.steps.get('entry')!.note).toBe(
      `Ran once per item (${input.documents.length}) of summaries: see its iterations.`,
    );
  });

  it('api-call failing in its task: that step failed, the one before done, the answer skipped', async () => {
    const { run } = await foldRun('api-call', { customerId: 'c-42', request: 'Refund everything please' });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ name: 'StepFailedError', stepId: 'callApi' });
    expect(states(run)).toEqual({ buildRequest: 'done', callApi: 'failed', explain: 'skipped' });
    expect(run.steps.get('buildRequest')!.note).toMatch(/Completed before the failure/);
  });

  it('stopped while the answer streams: the running step is cancelled', async () => {
    const graph = buildGraph(asSent(chainNamed('api-call')));
    const run = createRun(graph);
    const parts = [
      { type: 'start', messageId: 'r1' },
      { type: 'data-step', id: 'buildRequest', data: { status: 'running', stepType: 'invoke' } },
      { type: 'data-step', id: 'buildRequest', data: { status: 'done', stepType: 'invoke', output: {}, ms: 1.2 } },
      { type: 'data-step', id: 'callApi', data: { status: 'running', stepType: 'task' } },
      { type: 'data-step', id: 'callApi', data: { status: 'done', stepType: 'task', output: {}, ms: 0.4 } },
      { type: 'data-step', id: 'explain', data: { status: 'running', stepType: 'respond' } },
      { type: 'text-start', id: 'explain' },
      { type: 'text-delta', id: 'explain', delta: 'Your order' },
    ];
    for (const part of parts) applyPart(run, part);
    expect(states(run)).toEqual({ buildRequest: 'done', callApi: 'done', explain: 'running' });
    endRun(run, 'stopped');
    expect(run.status).toBe('stopped');
    expect(states(run)).toEqual({ buildRequest: 'done', callApi: 'done', explain: 'cancelled' });
    // nothing after the end changes it
    applyPart(run, { type: 'finish' });
    expect(run.status).toBe('stopped');
  });

  it('a retry shows on the step; a caught retrieve takes its fallback lane', () => {
    const run = createRun(buildGraph(asSent(chainNamed('rag-assistant'))));
    const error = { name: 'Bedrock.ThrottlingException', message: 'The model is receiving too many requests.' };
    applyPart(run, { type: 'data-step', id: 'context', data: { status: 'running', stepType: 'choose' } });
    applyPart(run, { type: 'data-step', id: 'searchDocs', data: { status: 'running', stepType: 'retrieve' } });
    applyPart(run, {
      type: 'data-step',
      id: 'searchDocs',
      data: { status: 'retrying', stepType: 'retrieve', attempt: 2, error },
    });
    const note = { note: 'The knowledge base is unavailable right now.' };
    applyPart(run, {
      type: 'data-step',
      id: 'searchDocs',
      data: { status: 'done', stepType: 'retrieve', output: note, ms: 3 },
    });
    expect(run.steps.get('searchDocs')!.retries).toEqual([{ attempt: 2, error }]);
    expect(run.lanes.get('searchDocs/catch')).toBe('taken');
    expect(run.steps.get('searchFailed')).toMatchObject({ state: 'done', output: note });
    expect(run.lanes.get('context/case1')).toBe('taken');
  });

  it('nested step events (a data-step with its parent and item index) fill the map iterations', () => {
    const run = createRun(buildGraph(asSent(chainNamed('parallel-map'))));
    applyPart(run, { type: 'data-step', id: 'summaries', data: { status: 'running', stepType: 'map' } });
    const nested = (index: number, stepId: string, status: string, output?: unknown) =>
      applyPart(run, {
        type: 'data-step',
        id: `summaries.${index}.${stepId}`,
        data: { status, stepType: 'invoke', stepId, parent: 'summaries', index, ...(output ? { output } : {}) },
      });
    nested(0, 'summarize', 'running');
    nested(1, 'summarize', 'running');
    nested(0, 'summarize', 'done', { text: 'a' });
    nested(0, 'entry', 'done', { title: 'A', summary: 'a' });
    const map = run.steps.get('summaries')!;
    expect(map.iterations!.map((iteration) => iteration.state)).toEqual(['done', 'running']);
    expect(map.iterations![0]!.output).toEqual({ title: 'A', summary: 'a' });
    nested(1, 'summarize', 'failed');
    expect(map.iterations![1]!.state).toBe('failed');
    expect(run.steps.get('summarize')!.state).toBe('failed');
  });

  it("folded from a nested stream (detail: 'nested'): inner steps run live, every run ends as at the top detail", async () => {
    for (const chain of chains) {
      const input = sampleInput[chain.name as keyof typeof sampleInput];
      const top = await foldRun(chain.name, input, () => 0.1);
      const seen = new Map<string, Set<string>>();
      const nested = await foldRun(
        chain.name,
        input,
        () => 0.1,
        'nested',
        (run) => {
          for (const step of run.steps.values()) {
            const states = seen.get(step.id) ?? new Set<string>();
            states.add(step.state);
            seen.set(step.id, states);
          }
        },
      );
      expect(states(nested.run)).toEqual(states(top.run));
      expect(nested.run.unknown).toEqual([]);
      expect(nested.run.text).toBe(top.run.text);
      // every step that ran was seen running before it was done, the inner ones of parallel and map included
      for (const [id, state] of Object.entries(states(nested.run))) {
        if (state === 'done') expect(seen.get(id), `${chain.name}: ${id}`).toContain('running');
      }
      if (chain.name === 'parallel-map') {
        const map = nested.run.steps.get('summaries')!;
        expect(map.iterations!.map((iteration) => iteration.state)).toEqual(
          (input as { documents: unknown[] }).documents.map(() => 'done'),
        );
        expect(map.iterations!.map((iteration) => iteration.output)).toEqual(map.output);
      }
    }
  });

  it('keeps a map body step running while any iteration runs it', () => {
    const run = createRun(buildGraph(asSent(chainNamed('parallel-map'))));
    const part = (index: number, status: string) => ({
      type: 'data-step',
      id: `summarize[${index}]`,
      data: { status, stepType: 'invoke', stepId: 'summarize', parent: 'summaries', index },
    });
    applyPart(run, part(0, 'running'));
    applyPart(run, part(1, 'running'));
    applyPart(run, part(0, 'done'));
    expect(run.steps.get('summarize')!.state).toBe('running');
    applyPart(run, part(1, 'done'));
    expect(run.steps.get('summarize')!.state).toBe('done');
  });

  it('keeps the parts about steps it does not know', () => {
    const run = createRun(buildGraph(asSent(chainNamed('router'))));
    applyPart(run, { type: 'data-step', id: 'other', data: { status: 'running', stepType: 'invoke' } });
    expect(run.unknown).toHaveLength(1);
  });
});

describe('copy as curl and as CLI command', () => {
  it('quotes any text for a POSIX shell', () => {
    for (const text of ['plain', "it's", 'a "b" $HOME `x` \\ \n next', 'ünï 🚀', '', '-d']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
    }
  });

  it('builds the curl line from the page URL, without the API key itself', () => {
    const command = curlCommand({
      pageUrl: 'http://127.0.0.1:3000/base/#router',
      chain: 'router',
      route: 'stream',
      body: { input: { message: "It's broken" } },
      apiKey: true,
    });
    expect(command).toBe(
      "curl -N http://127.0.0.1:3000/base/v1/chains/router/stream -H 'content-type: application/json' " +
        `-H "authorization: Bearer $STEPWISE_API_KEY" -d '{"input":{"message":"It'\\''s broken"}}'`,
    );
  });

  it('builds the stepwise run line', () => {
    expect(cliCommand({ file: 'examples/shared', chain: 'ab-test', input: { question: 'Why?' } })).toBe(
      `stepwise run examples/shared --chain ab-test --input '{"question":"Why?"}'`,
    );
  });
});

describe('chat mode', () => {
  it('is offered for chains whose answer reads a conversation', () => {
    expect(chains.filter((chain) => chatPath(asSent(chain)) !== undefined).map((chain) => chain.name)).toEqual([
      'rag-assistant',
    ]);
  });

  it('sends the finished messages as useChat does; the CLI input is what the server maps them to', () => {
    const conversation = createConversation();
    addMessage(conversation, 'user', 'Can I return boots?');
    addMessage(conversation, 'assistant', 'Within 60 days.').state = 'done';
    addMessage(conversation, 'user', 'Worn ones?');
    addMessage(conversation, 'assistant', 'Only if').state = 'stopped';
    addMessage(conversation, 'user', 'And sale items?');
    const body = chatRequest(conversation, { locale: 'en' });
    expect(body.messages.map((message) => [message.role, message.parts[0]!.text])).toEqual([
      ['user', 'Can I return boots?'],
      ['assistant', 'Within 60 days.'],
      ['user', 'Worn ones?'],
      ['user', 'And sale items?'],
    ]);
    expect(body.trigger).toBe('submit-message');
    expect(body.input).toEqual({ locale: 'en' });
    expect(chatInputOf(body)).toEqual(defaultChatInput(body));
  });
});

describe('formats', () => {
  it('shows model ids short and times to 0.1 ms', () => {
    expect(modelName('anthropic.claude-3-haiku-20240307-v1:0')).toBe('claude-3-haiku');
    expect(modelName('us.amazon.nova-lite-v1:0')).toBe('nova-lite');
    expect(modelName('meta.llama3-8b-instruct-v1:0')).toBe('llama3-8b-instruct');
    expect(modelName('openai:gpt-4.1-mini')).toBe('gpt-4.1-mini');
    expect(formatMs(152.77060900000015)).toBe('152.8 ms');
    expect(formatMs(1534)).toBe('1.53 s');
  });
});
