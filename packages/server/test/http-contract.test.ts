// The HTTP contract, request by request, as bytes on the wire: every route, the odd paths (case, trailing slash,
// query, percent-encoding, absolute form), content negotiation, CORS, auth, the error statuses and each request's
// log line. The answers are recorded in __fixtures__/http-contract.json, first from the Express implementation,
// and every entry (createServer, createHandler) must give the same. `UPDATE_FIXTURES=1` rewrites the file.
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playgroundAssets } from '../src/playground/playground-assets';
import type { ServerOptions } from '../src/server-options';
import { classifyChain, qaChain } from './helpers/chains';
import { parseAnswers, sendRaw, type WireAnswer } from './helpers/raw-exchange-chunked';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { ENTRIES, type Entry, sseParts, startTestServer } from './helpers/start-test-server';

const FIXTURE = new URL('./__fixtures__/http-contract.json', import.meta.url);

/** One request of the corpus: its server, and the request as sent (Host, Connection: close, x-request-id added). */
interface Case {
  name: string;
  server: keyof typeof SERVERS;
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send the request line and headers exactly as given (no Host, no added headers). */
  raw?: boolean;
}

const SERVERS = {
  /** No auth, no CORS, no playground. */
  plain: { chains: [qaChain, classifyChain], limits: { bodyBytes: 2048 }, playground: false },
  /** API keys, CORS for one origin with credentials, the playground. */
  guarded: {
    chains: [qaChain],
    auth: { apiKeys: ['k-1'] },
    cors: { origins: ['https://app.example.com'], credentials: true, maxAgeSeconds: 60 },
  },
  /** CORS for any origin; an auth function that looks at the request. */
  open: {
    chains: [qaChain],
    cors: { origins: '*' },
    auth: (key: string | undefined, request: { url?: string }) =>
      key === 'k-2' || request.url?.includes('/chains/qa/') === true,
  },
} satisfies Record<string, Omit<ServerOptions, 'runtime' | 'logger'>>;

const json = { 'content-type': 'application/json' };
const input = JSON.stringify({ input: { question: 'What is stepwise?' } });
const chat = JSON.stringify({
  id: 'c-1',
  messages: [{ id: 'm-1', role: 'user', parts: [{ type: 'text', text: 'Where is my order?' }] }],
});

const post = (target: string, body = input, headers: Record<string, string> = json) => ({
  method: 'POST',
  target,
  headers,
  body,
});

const CASES: Case[] = [
  // liveness and readiness
  { name: 'GET /healthz', server: 'plain', method: 'GET', target: '/healthz' },
  { name: 'HEAD /healthz', server: 'plain', method: 'HEAD', target: '/healthz' },
  { name: 'GET /HEALTHZ (case)', server: 'plain', method: 'GET', target: '/HEALTHZ' },
  { name: 'GET /healthz/ (trailing slash)', server: 'plain', method: 'GET', target: '/healthz/' },
  { name: 'GET /healthz// (two slashes)', server: 'plain', method: 'GET', target: '/healthz//' },
  { name: 'GET /healthz?probe=1 (query)', server: 'plain', method: 'GET', target: '/healthz?probe=1' },
  { name: 'GET /heal%74hz (encoded letter)', server: 'plain', method: 'GET', target: '/heal%74hz' },
  { name: 'GET //healthz', server: 'plain', method: 'GET', target: '//healthz' },
  { name: 'GET absolute form', server: 'plain', method: 'GET', target: 'http://127.0.0.1/healthz?x=1' },
  { name: 'POST /healthz', server: 'plain', ...post('/healthz') },
  { name: 'OPTIONS /healthz', server: 'plain', method: 'OPTIONS', target: '/healthz' },
  { name: 'OPTIONS *', server: 'plain', method: 'OPTIONS', target: '*' },
  {
    name: 'GET /healthz If-None-Match: *',
    server: 'plain',
    method: 'GET',
    target: '/healthz',
    headers: { 'if-none-match': '*' },
  },
  {
    name: 'GET /healthz If-None-Match: * and no-cache',
    server: 'plain',
    method: 'GET',
    target: '/healthz',
    headers: { 'if-none-match': '*', 'cache-control': 'no-cache' },
  },
  {
    name: 'GET /healthz If-None-Match: "x"',
    server: 'plain',
    method: 'GET',
    target: '/healthz',
    headers: { 'if-none-match': '"x"' },
  },
  { name: 'GET / without playground', server: 'plain', method: 'GET', target: '/' },
  { name: 'HEAD / without playground', server: 'plain', method: 'HEAD', target: '/' },
  { name: 'GET /?x (query on the root)', server: 'plain', method: 'GET', target: '/?x' },
  {
    name: 'GET /playground/... without playground',
    server: 'plain',
    method: 'GET',
    target: '/playground/{version}/app.js',
  },
  { name: 'GET /v2/whatever', server: 'plain', method: 'GET', target: '/v2/whatever' },
  { name: 'GET /v1', server: 'plain', method: 'GET', target: '/v1' },
  { name: 'GET /v1/', server: 'plain', method: 'GET', target: '/v1/' },
  { name: 'GET /v1x', server: 'plain', method: 'GET', target: '/v1x/chains' },
  { name: 'DELETE /v1/chains', server: 'plain', method: 'DELETE', target: '/v1/chains' },

  // the chains
  { name: 'GET /v1/chains', server: 'plain', method: 'GET', target: '/v1/chains' },
  { name: 'HEAD /v1/chains', server: 'plain', method: 'HEAD', target: '/v1/chains' },
  { name: 'GET /V1/CHAINS/ (case, slash)', server: 'plain', method: 'GET', target: '/V1/CHAINS/' },
  { name: 'GET /v1/chains/qa', server: 'plain', method: 'GET', target: '/v1/chains/qa' },
  { name: 'GET /v1/chains/classify', server: 'plain', method: 'GET', target: '/v1/chains/classify' },
  { name: 'GET /v1/chains/q%61 (encoded name)', server: 'plain', method: 'GET', target: '/v1/chains/q%61' },
  { name: 'GET /v1/chains/QA (name case)', server: 'plain', method: 'GET', target: '/v1/chains/QA' },
  { name: 'GET /v1/chains/nope', server: 'plain', method: 'GET', target: '/v1/chains/nope' },
  { name: 'GET /v1/chains/a%2Fb (encoded slash)', server: 'plain', method: 'GET', target: '/v1/chains/a%2Fb' },
  { name: 'GET /v1/chains/%E0%A4%A (bad encoding)', server: 'plain', method: 'GET', target: '/v1/chains/%E0%A4%A' },
  { name: 'POST /v1/chains/%E0%A4%A (bad encoding)', server: 'plain', ...post('/v1/chains/%E0%A4%A') },
  { name: 'GET /v1/chains/qa/extra', server: 'plain', method: 'GET', target: '/v1/chains/qa/extra' },
  { name: 'OPTIONS /v1/chains', server: 'plain', method: 'OPTIONS', target: '/v1/chains' },
  { name: 'OPTIONS /v1/chains/qa', server: 'plain', method: 'OPTIONS', target: '/v1/chains/qa' },
  { name: 'OPTIONS /v1/chains/qa/stream', server: 'plain', method: 'OPTIONS', target: '/v1/chains/qa/stream' },
  { name: 'OPTIONS /v1/nope', server: 'plain', method: 'OPTIONS', target: '/v1/nope' },

  // runs
  { name: 'invoke', server: 'plain', ...post('/v1/chains/qa/invoke') },
  { name: 'invoke, path in capitals with a slash and a query', server: 'plain', ...post('/V1/Chains/qa/INVOKE/?a=1') },
  {
    name: 'invoke a chain without schema',
    server: 'plain',
    ...post('/v1/chains/classify/invoke', '{"input":{"text":"x"}}'),
  },
  { name: 'GET on invoke', server: 'plain', method: 'GET', target: '/v1/chains/qa/invoke' },
  { name: 'HEAD on invoke', server: 'plain', method: 'HEAD', target: '/v1/chains/qa/invoke' },
  { name: 'invoke an unknown chain', server: 'plain', ...post('/v1/chains/nope/invoke') },
  {
    name: 'invoke text/plain',
    server: 'plain',
    ...post('/v1/chains/qa/invoke', 'hi', { 'content-type': 'text/plain' }),
  },
  { name: 'invoke without content type', server: 'plain', ...post('/v1/chains/qa/invoke', input, {}) },
  {
    name: 'invoke application/vnd.api+json',
    server: 'plain',
    ...post('/v1/chains/qa/invoke', input, { 'content-type': 'application/vnd.api+json; charset=utf-8' }),
  },
  {
    name: 'invoke charset latin1',
    server: 'plain',
    ...post('/v1/chains/qa/invoke', input, { 'content-type': 'application/json; charset=latin1' }),
  },
  {
    name: 'invoke gzip',
    server: 'plain',
    ...post('/v1/chains/qa/invoke', input, { ...json, 'content-encoding': 'gzip' }),
  },
  { name: 'invoke no body', server: 'plain', method: 'POST', target: '/v1/chains/qa/invoke', headers: json },
  { name: 'invoke malformed JSON', server: 'plain', ...post('/v1/chains/qa/invoke', '{"input": {') },
  { name: 'invoke without input', server: 'plain', ...post('/v1/chains/qa/invoke', '{"question":"x"}') },
  { name: 'invoke array body', server: 'plain', ...post('/v1/chains/qa/invoke', '[1]') },
  {
    name: 'invoke too large',
    server: 'plain',
    ...post('/v1/chains/qa/invoke', JSON.stringify({ input: 'x'.repeat(3000) })),
  },
  {
    name: 'invoke input fails the schema',
    server: 'plain',
    ...post('/v1/chains/qa/invoke', '{"input":{"question":42}}'),
  },
  { name: 'stream', server: 'plain', ...post('/v1/chains/qa/stream') },
  {
    name: 'stream, Accept: text/plain',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/plain' }),
  },
  { name: 'stream, Accept: */*', server: 'plain', ...post('/v1/chains/qa/stream', input, { ...json, accept: '*/*' }) },
  {
    name: 'stream, Accept: text/*',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/*' }),
  },
  {
    name: 'stream, Accept: text/plain, text/event-stream',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/plain, text/event-stream' }),
  },
  {
    name: 'stream, Accept: text/event-stream;q=0.5, text/plain',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/event-stream;q=0.5, text/plain' }),
  },
  {
    name: 'stream, Accept: text/*;q=0.9, text/plain;q=0.8',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/*;q=0.9, text/plain;q=0.8' }),
  },
  {
    name: 'stream, Accept: application/json',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'application/json' }),
  },
  {
    name: 'stream, Accept: TEXT/PLAIN',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'TEXT/PLAIN' }),
  },
  {
    name: 'stream, Accept: text/plain; charset=utf-8',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/plain; charset=utf-8' }),
  },
  {
    name: 'stream, Accept: text/plain;q=0',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/plain;q=0' }),
  },
  { name: 'stream, empty Accept', server: 'plain', ...post('/v1/chains/qa/stream', input, { ...json, accept: '' }) },
  {
    name: 'stream, Accept with a quoted comma',
    server: 'plain',
    ...post('/v1/chains/qa/stream', input, { ...json, accept: 'text/x;a="b,c", text/plain' }),
  },
  {
    name: 'stream, text/plain for a chain without text',
    server: 'plain',
    ...post('/v1/chains/classify/stream', '{"input":{"text":"x"}}', { ...json, accept: 'text/plain' }),
  },
  { name: 'stream input fails the schema', server: 'plain', ...post('/v1/chains/qa/stream', '{"input":{}}') },
  { name: 'chat', server: 'plain', ...post('/v1/chains/qa/chat', chat) },
  { name: 'chat, not a chat request', server: 'plain', ...post('/v1/chains/qa/chat', input) },
  {
    name: 'chat, no user message',
    server: 'plain',
    ...post('/v1/chains/qa/chat', JSON.stringify({ messages: [{ role: 'assistant', parts: [] }] })),
  },

  // protocol
  {
    name: 'HTTP/1.1 without Host',
    server: 'plain',
    method: 'GET',
    target: '/healthz',
    raw: true,
    headers: { connection: 'close', 'x-request-id': 'no-host' },
  },
  {
    name: 'HTTP/1.0 without Host',
    server: 'plain',
    method: 'GET',
    target: '/healthz HTTP/1.0',
    raw: true,
    headers: { 'x-request-id': 'http-1-0' },
  },
  { name: 'Expect: later', server: 'plain', ...post('/v1/chains/qa/invoke', input, { ...json, expect: 'later' }) },
  {
    name: 'Expect: later on an unknown route',
    server: 'plain',
    method: 'GET',
    target: '/nope',
    headers: { expect: 'later' },
  },

  // auth, CORS and the playground
  { name: 'guarded: GET /healthz', server: 'guarded', method: 'GET', target: '/healthz' },
  { name: 'guarded: GET /v1/chains without a key', server: 'guarded', method: 'GET', target: '/v1/chains' },
  {
    name: 'guarded: GET /v1/chains with a wrong key',
    server: 'guarded',
    method: 'GET',
    target: '/v1/chains',
    headers: { authorization: 'Bearer nope' },
  },
  {
    name: 'guarded: GET /v1/chains with a Bearer key',
    server: 'guarded',
    method: 'GET',
    target: '/v1/chains',
    headers: { authorization: 'bearer   k-1 ' },
  },
  {
    name: 'guarded: GET /v1/chains with x-api-key',
    server: 'guarded',
    method: 'GET',
    target: '/v1/chains',
    headers: { 'x-api-key': 'k-1' },
  },
  { name: 'guarded: GET /v1/nope without a key', server: 'guarded', method: 'GET', target: '/v1/nope' },
  {
    name: 'guarded: GET /v1/nope with a key',
    server: 'guarded',
    method: 'GET',
    target: '/v1/nope',
    headers: { 'x-api-key': 'k-1' },
  },
  { name: 'guarded: GET /v1/chains/%E0 without a key', server: 'guarded', method: 'GET', target: '/v1/chains/%E0' },
  {
    name: 'guarded: GET /v1/chains/%E0 with a key',
    server: 'guarded',
    method: 'GET',
    target: '/v1/chains/%E0',
    headers: { 'x-api-key': 'k-1' },
  },
  {
    name: 'guarded: invoke without a key, with a body',
    server: 'guarded',
    ...post('/v1/chains/qa/invoke'),
  },
  {
    name: 'guarded: OPTIONS /v1/chains with a key, not a preflight',
    server: 'guarded',
    method: 'OPTIONS',
    target: '/v1/chains',
    headers: { 'x-api-key': 'k-1' },
  },
  {
    name: 'guarded: preflight from the allowed origin',
    server: 'guarded',
    method: 'OPTIONS',
    target: '/v1/chains/qa/stream',
    headers: {
      origin: 'https://app.example.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-api-key',
    },
  },
  {
    name: 'guarded: preflight without requested headers',
    server: 'guarded',
    method: 'OPTIONS',
    target: '/v1/chains/qa/stream',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
  },
  {
    name: 'guarded: preflight from another origin',
    server: 'guarded',
    method: 'OPTIONS',
    target: '/v1/chains/qa/stream',
    headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
  },
  {
    name: 'guarded: preflight without Origin',
    server: 'guarded',
    method: 'OPTIONS',
    target: '/v1/chains',
    headers: { 'access-control-request-method': 'GET' },
  },
  {
    name: 'guarded: preflight to an unknown path',
    server: 'guarded',
    method: 'OPTIONS',
    target: '/nowhere',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
  },
  {
    name: 'guarded: GET /v1/chains from the allowed origin',
    server: 'guarded',
    method: 'GET',
    target: '/v1/chains',
    headers: { origin: 'https://app.example.com', 'x-api-key': 'k-1' },
  },
  {
    name: 'guarded: GET /v1/chains from another origin',
    server: 'guarded',
    method: 'GET',
    target: '/v1/chains',
    headers: { origin: 'https://evil.example.com', 'x-api-key': 'k-1' },
  },
  {
    name: 'guarded: stream from the allowed origin',
    server: 'guarded',
    ...post('/v1/chains/qa/stream', input, { ...json, origin: 'https://app.example.com', 'x-api-key': 'k-1' }),
  },
  {
    name: 'guarded: the playground page, gzip',
    server: 'guarded',
    method: 'GET',
    target: '/',
    headers: { 'accept-encoding': 'gzip, deflate, br', origin: 'https://app.example.com' },
  },
  {
    name: 'guarded: the playground page, identity',
    server: 'guarded',
    method: 'GET',
    target: '/',
    headers: { 'accept-encoding': 'identity' },
  },
  {
    name: 'guarded: the playground page, gzip;q=0',
    server: 'guarded',
    method: 'GET',
    target: '/',
    headers: { 'accept-encoding': 'gzip;q=0, *;q=0.5' },
  },
  {
    name: 'guarded: the playground page, gzip less wanted than identity',
    server: 'guarded',
    method: 'GET',
    target: '/',
    headers: { 'accept-encoding': 'identity;q=1, gzip;q=0.5' },
  },
  {
    name: 'guarded: the playground page, * encoding',
    server: 'guarded',
    method: 'GET',
    target: '/',
    headers: { 'accept-encoding': '*' },
  },
  {
    name: 'guarded: the playground page, empty Accept-Encoding',
    server: 'guarded',
    method: 'GET',
    target: '/',
    headers: { 'accept-encoding': '' },
  },
  { name: 'guarded: HEAD the playground page', server: 'guarded', method: 'HEAD', target: '/' },
  {
    name: 'guarded: the playground page, revalidated',
    server: 'guarded',
    method: 'GET',
    target: '/',
    headers: { 'if-none-match': '{page-etag}' },
  },
  {
    name: 'guarded: a playground file of this version',
    server: 'guarded',
    method: 'GET',
    target: '/playground/{version}/app.js',
    headers: { 'accept-encoding': 'gzip' },
  },
  {
    name: 'guarded: a playground file of another version',
    server: 'guarded',
    method: 'GET',
    target: '/playground/0123456789ab/playground.css',
  },
  {
    name: 'guarded: a playground file that does not exist',
    server: 'guarded',
    method: 'GET',
    target: '/playground/{version}/nope.js',
  },
  {
    name: 'guarded: a playground file, bad encoding',
    server: 'guarded',
    method: 'GET',
    target: '/playground/%E0/app.js',
  },
  { name: 'guarded: POST to a playground file', server: 'guarded', ...post('/playground/{version}/app.js') },
  {
    name: 'open: preflight from anywhere',
    server: 'open',
    method: 'OPTIONS',
    target: '/v1/chains',
    headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
  },
  {
    name: 'open: GET /v1/chains from anywhere, no key',
    server: 'open',
    method: 'GET',
    target: '/v1/chains',
    headers: { origin: 'https://a.example' },
  },
  { name: 'open: the auth function sees the URL', server: 'open', ...post('/v1/chains/qa/invoke') },
];

/** What is compared of an answer: volatile values (run ids, timings, playground bytes) replaced. */
function normalise(answer: WireAnswer, knowns: { version: string; etag: string }) {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(answer.headers).sort()) {
    if (name === 'date' || name === 'keep-alive') continue;
    headers[name] = answer.headers[name]!;
  }
  const playground = /^(text\/html|text\/css|text\/javascript)/.test(headers['content-type'] ?? '');
  if (playground) {
    if (headers.etag !== undefined) headers.etag = headers.etag === knowns.etag ? '<page etag>' : '<etag>';
    if (headers['content-length'] !== undefined) headers['content-length'] = '<length>';
    // the page's policy allows its inline boot script by hash, which moves with the script
    const csp = headers['content-security-policy'];
    if (csp !== undefined) headers['content-security-policy'] = csp.replace(/'sha256-[\w+/]+=*'/g, "'sha256-<hash>'");
  } else if (headers['content-length'] !== undefined) {
    // the body's length, as sent, matches the header (the value itself moves with timings in the body)
    headers['content-length'] =
      Number(headers['content-length']) === Buffer.byteLength(answer.body) ? '<body length>' : '<wrong>';
  }
  const body = playground
    ? answer.body.length === 0
      ? ''
      : '<playground file>'
    : answer.body
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
        .replace(/"ms":[\d.]+/g, '"ms":0')
        .replaceAll(knowns.version, '<version>');
  return { status: answer.status, ...(answer.interim.length > 0 ? { interim: answer.interim } : {}), headers, body };
}

/** What is compared of a log line: the fields that do not move between runs. */
function logFields(line: Record<string, unknown> | undefined, version: string) {
  if (line === undefined) return null;
  const { time: _t, pid: _p, hostname: _h, ms: _ms, ttfbMs: _ttfb, runId, reqId: _r, err, path, ...rest } = line;
  return {
    ...rest,
    path: String(path).replace(version, '<version>'),
    ...(runId === undefined ? {} : { runId: '<run id>' }),
    ...(err === undefined ? {} : { err: '<err>' }),
  };
}

function requestOf(test: Case, id: string, knowns: { version: string; etag: string }): string {
  const fill = (text: string) => text.replaceAll('{version}', knowns.version).replaceAll('{page-etag}', knowns.etag);
  const target = fill(test.target);
  const version = target.includes(' HTTP/') ? '' : ' HTTP/1.1';
  const headers: Record<string, string> = test.raw
    ? { ...test.headers }
    : { host: '127.0.0.1', connection: 'close', 'x-request-id': id, ...test.headers };
  if (test.body !== undefined) headers['content-length'] = String(Buffer.byteLength(test.body));
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${fill(value)}`);
  return `${test.method} ${target}${version}\r\n${lines.join('\r\n')}\r\n\r\n${test.body ?? ''}`;
}

describe.each(ENTRIES)('the HTTP contract, request by request (%s)', (entry: Entry) => {
  const servers = {} as Record<keyof typeof SERVERS, Awaited<ReturnType<typeof startTestServer>>>;
  const assets = playgroundAssets();
  const knowns = { version: assets?.version ?? 'none', etag: assets?.page.etag ?? 'none' };
  const recorded: Array<{ name: string; answers: unknown[]; log: unknown }> = [];

  beforeAll(async () => {
    for (const name of Object.keys(SERVERS) as Array<keyof typeof SERVERS>) {
      servers[name] = await startTestServer({ runtime: scriptedRuntime(), ...SERVERS[name] }, { entry });
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  it('answers every request of the corpus as recorded, with the same log line', async () => {
    for (const [index, test] of CASES.entries()) {
      const id = `contract-${index}`;
      const server = servers[test.server];
      const answers = await sendRaw(server.port, requestOf(test, id, knowns), { head: test.method === 'HEAD' });
      await sleep(5);
      const requestId = test.raw ? test.headers?.['x-request-id'] : id;
      const line = server.logs.find((entry) => entry.reqId === requestId && entry.msg !== 'client error');
      recorded.push({
        name: test.name,
        answers: answers.map((answer) => normalise(answer, knowns)),
        log: logFields(line, knowns.version),
      });
    }
    if (process.env.UPDATE_FIXTURES && entry === 'createServer') {
      await writeFile(FIXTURE, `${JSON.stringify(recorded, null, 2)}\n`);
    }
    const expected = JSON.parse(await readFile(FIXTURE, 'utf8')) as typeof recorded;
    expect(recorded.map((test) => test.name)).toEqual(expected.map((test) => test.name));
    for (const [index, test] of recorded.entries()) expect(test, test.name).toEqual(expected[index]);
  });

  it('answers 503 with Retry-After and Connection: close to a run asked for on an open connection while draining', async () => {
    const runtime = scriptedRuntime({ tokens: ['a', 'b', 'c', 'd', 'e'], tokenMs: 60 });
    const server = await startTestServer({ runtime, chains: [qaChain] }, { entry });
    const head = (route: string, extra = '') =>
      `POST /v1/chains/qa/${route} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${input.length}\r\n${extra}\r\n${input}`;
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.write(head('stream'));
    while (!Buffer.concat(chunks).includes('text-delta')) await sleep(5);
    const closing = server.close();
    await sleep(20);
    // the connection is busy with the stream, so the shutdown keeps it; a second request goes over it
    socket.write(head('invoke', 'x-request-id: drained\r\n'));
    await closed;
    await closing;
    const [stream, refused] = parseAnswers(Buffer.concat(chunks));
    expect(stream!.status).toBe(200);
    expect(stream!.body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(stream!.body).toContain('"type":"finish"');
    expect(refused!.status).toBe(503);
    expect(refused!.headers['retry-after']).toBe('1');
    expect(refused!.headers.connection).toBe('close');
    expect(JSON.parse(refused!.body)).toEqual({
      error: { name: 'ServiceUnavailableError', message: 'The server is shutting down.', requestId: 'drained' },
    });
    expect(runtime.counters.runs).toBe(1);
    expect(server.logs.find((line) => line.reqId === 'drained')).toMatchObject({ status: 503, chain: 'qa' });
  });

  it('abortRuns() ends a drain at once: open streams end with the AbortedError part, and the server closes', async () => {
    const runtime = scriptedRuntime({ tokens: Array.from({ length: 1000 }, (_, i) => `t${i} `), tokenMs: 20 });
    const server = await startTestServer({ runtime, chains: [qaChain] }, { entry, shutdownMs: 60_000 });
    const response = await fetch(`${server.url}/v1/chains/qa/stream`, { method: 'POST', headers: json, body: input });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('text-delta')) text += decoder.decode((await reader.read()).value, { stream: true });
    const started = Date.now();
    await server.abortRuns();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(Date.now() - started).toBeLessThan(3000);
    const parts = sseParts(text);
    expect(parts.at(-1)).toBe('[DONE]');
    expect(parts.at(-2)).toMatchObject({
      type: 'error',
      errorName: 'AbortedError',
      errorText: 'The server is shutting down.',
    });
    expect(runtime.counters.aborted).toBe(1);
  });
});
