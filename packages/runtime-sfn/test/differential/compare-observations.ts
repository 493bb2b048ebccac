import {
  getModelAdapter,
  isProviderModel,
  type ModelRequest,
  modelFamilyOf,
  parseModelReference,
  type Step,
} from '@stepwise/core';
import { canonicalJson } from './canonical-json';
import { explainDifference } from './explain-difference';
import { firstDifference } from './first-difference';
import type { Failure, Observation, ObservedEvent } from './observe-run';
import { ancestorsOf, type StepEntry, stepIndex } from './step-index';

/**
 * One way the two runtimes (or the compiled definition) disagree with the contract. `kind` names the class: what
 * differs and how (or, when it is recognised, why), in words that hold for every chain showing it (no step ids), so
 * runs group by it. `detail` says what this run showed.
 *
 * @example
 * ```ts
 * const mismatch: Mismatch = { kind: 'error.stepId: sfn names no step', detail: 'local s3, sfn -' };
 * ```
 */
export interface Mismatch {
  kind: string;
  detail: string;
  local?: unknown;
  sfn?: unknown;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function show(value: unknown, max = 160): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The gist of a refused definition: its first diagnostic, with state names and indices taken out
 * (`SCHEMA_VALIDATION_FAILED: …/Parameters/Body/stop/N is invalid` rather than `/States/S2/Parameters/Body/stop/0`).
 */
function definitionProblem(message: string): string {
  const text = message
    .replace(/^.*?InvalidDefinition: /, '')
    .replace(/^Invalid State Machine Definition: '/, '')
    .split(/, (?=[A-Z_]{6,}:)/)[0]!
    .replace(/\/States\/[^\s']*/g, (path) => {
      const parts = path.split('/');
      const last = parts.lastIndexOf('States');
      return `…/${parts.slice(last + 2).join('/')}`;
    })
    .replace(/\d+/g, 'N')
    .replace(/'$/, '');
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

const MISTRAL_USAGE = 'usage: a Mistral invoke counts 0 tokens on SFN (its InvokeModel answer carries no counts)';

/**
 * Whether SFN has 0 where runtime-local has another count: a number, or a string that differs only in numbers where
 * SFN has a 0 (a token count rendered into a prompt or a text, perhaps right after another number: `-12` vs `-10`).
 */
function zeroOnSfn(local: unknown, sfn: unknown): boolean {
  if (typeof local === 'number' && sfn === 0) return local !== 0;
  if (typeof local !== 'string' || typeof sfn !== 'string' || local === sfn || !sfn.includes('0')) return false;
  // Each 0 of SFN's text may stand for a count runtime-local printed: "00" for "22", "-10" for "-12".
  const pattern = sfn
    .split('0')
    .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\d+');
  return new RegExp(`^${pattern}$`, 'u').test(local);
}

/** Why two texts differ, when a known cause explains it (Mistral's 0 counts, numbers, key order, control tokens). */
function explainText(local: string, sfn: string, mistral: boolean): string | undefined {
  if (mistral && zeroOnSfn(local, sfn)) return MISTRAL_USAGE;
  return explainDifference(local, sfn);
}

/**
 * What a difference is, explained when it can be (numbers, key order, a Mistral invoke's token count read into
 * another value), else `<where> differs (<how>)`.
 */
function differenceKind(
  where: string,
  difference: { path: string; how: string; local: unknown; sfn: unknown },
  mistral = false,
): string {
  if (mistral && zeroOnSfn(difference.local, difference.sfn)) return MISTRAL_USAGE;
  if (difference.local === null && canonicalJson(difference.sfn) === '{}' && /task|output/.test(where)) {
    return 'task input: a null handler input reaches the handler as {} on SFN';
  }
  if (typeof difference.local === 'string' && typeof difference.sfn === 'string') {
    const explained = explainDifference(difference.local, difference.sfn);
    if (explained) return explained;
  }
  return `${where} differs (${difference.how})`;
}

/**
 * An `invoke` request as Bedrock would get it: through its family's InvokeModel body and back. runtime-local hands the
 * fake the request itself, the emulator one parsed from the body the compiled machine built, so only the wire form
 * compares (a prefill's trailing whitespace, for one, never reaches Bedrock).
 */
function onTheWire(index: Map<string, StepEntry>, request: ModelRequest): ModelRequest {
  if (request.stepId === undefined || index.get(request.stepId)?.step.type !== 'invoke') return request;
  try {
    const adapter = getModelAdapter(request.modelId);
    return { ...adapter.parseBody(request.modelId, adapter.buildBody(request)), stepId: request.stepId };
  } catch {
    return request;
  }
}

/** The parts of a model request the fuzzer compares (the step id, the model, what is sent). */
function requestKey(request: ModelRequest): Record<string, unknown> {
  const { stepId, modelId, system, messages, maxTokens, temperature, topP, stopSequences } = request;
  return { stepId, modelId, system, messages, maxTokens, temperature, topP, stopSequences };
}

function compareRequests(
  index: Map<string, StepEntry>,
  local: ModelRequest[],
  sfn: ModelRequest[],
): Mismatch | undefined {
  const mistral = hasMistral(index);
  // Pair the calls step by step: a step's calls in a stable order (by what they send), the steps by id.
  const byStep = (requests: ModelRequest[]) => {
    const keys = requests.map((request) => requestKey(onTheWire(index, request)));
    keys.sort((a, b) => {
      const [x, y] = [String(a.stepId), String(b.stepId)];
      if (x !== y) return x < y ? -1 : 1;
      const [p, q] = [canonicalJson(a), canonicalJson(b)];
      return p < q ? -1 : p > q ? 1 : 0;
    });
    return keys;
  };
  const [l, s] = [byStep(local), byStep(sfn)];
  if (l.length !== s.length) {
    return {
      // Steps that run at once stop when one of them fails; how many calls they made by then is a matter of timing.
      kind: survivesConcurrentFailure(index)
        ? 'race: steps that run at once make more or fewer model calls before a failure stops them'
        : `requests: the models get ${l.length > s.length ? 'more' : 'fewer'} calls locally`,
      detail: `local ${l.length} calls (${l.map((r) => r.stepId).join(', ')}), sfn ${s.length} (${s.map((r) => r.stepId).join(', ')})`,
    };
  }
  const difference = firstDifference(l, s);
  if (!difference) return undefined;
  const field = difference.path.replace(/^\[\d+\]\.?/, '').replace(/\[\d+\]/g, '[]') || 'request';
  // Which provider got the request, when it is not Bedrock (their APIs have rules and defaults of their own).
  const modelId = l[Number(/^\[(\d+)\]/.exec(difference.path)?.[1] ?? -1)]?.modelId;
  const provider =
    typeof modelId === 'string' && isProviderModel(modelId)
      ? ` on an ${parseModelReference(modelId).provider}: model`
      : '';
  return {
    kind: `${differenceKind(`requests: ${field}`, difference, mistral)}${provider}`,
    detail: `${field}: local ${show(difference.local)}, sfn ${show(difference.sfn)}`,
    local: difference.local,
    sfn: difference.sfn,
  };
}

function eventLabel(event: ObservedEvent | undefined): string {
  if (!event) return 'nothing';
  if (event.type === 'step-start' || event.type === 'step-end') return `${event.type} of a ${event.stepType}`;
  return event.type;
}

function isMistral(index: Map<string, StepEntry>, stepId: string): boolean {
  const step = index.get(stepId)?.step;
  return step?.type === 'invoke' && modelFamilyOf(step.model) === 'mistral';
}

function hasMistral(index: Map<string, StepEntry>): boolean {
  return [...index.keys()].some((stepId) => isMistral(index, stepId));
}

function compareEvents(
  index: Map<string, StepEntry>,
  local: ObservedEvent[],
  sfn: ObservedEvent[],
  requests: Mismatch | undefined,
): Mismatch | undefined {
  // chain-end is compared as output, text and usage.
  const [l, s] = [local.filter((e) => e.type !== 'chain-end'), sfn.filter((e) => e.type !== 'chain-end')];
  for (let at = 0; at < Math.max(l.length, s.length); at++) {
    const [a, b] = [l[at], s[at]];
    if (sameJson(a, b)) continue;
    const detail = `event #${at}: local ${show(a)}, sfn ${show(b)}`;
    if (!a || !b || a.type !== b.type || ('stepId' in a && 'stepId' in b && a.stepId !== b.stepId)) {
      return { kind: `events: local has ${eventLabel(a)} where sfn has ${eventLabel(b)}`, detail, local: a, sfn: b };
    }
    if (a.type === 'step-end' && b.type === 'step-end') {
      const difference = firstDifference({ output: a.output, usage: a.usage }, { output: b.output, usage: b.usage });
      if (!difference) continue;
      const inUsage = /\.usage\./.test(difference.path);
      const mistral = isMistral(index, a.stepId) && inUsage && difference.sfn === 0;
      const kind = mistral
        ? MISTRAL_USAGE
        : inUsage && requests
          ? `usage differs after: ${requests.kind}`
          : differenceKind(`events: step-end of a ${a.stepType}`, difference, hasMistral(index));
      return {
        kind,
        detail: `${a.stepId}${difference.path}: local ${show(difference.local)}, sfn ${show(difference.sfn)}`,
        local: a,
        sfn: b,
      };
    }
    if (a.type === 'text' && b.type === 'text') {
      const explained = explainText(a.text, b.text, hasMistral(index));
      return { kind: explained ?? 'events: the streamed text differs', detail, local: a, sfn: b };
    }
    return { kind: `events: ${a.type} differs`, detail, local: a, sfn: b };
  }
  return undefined;
}

const CONTAINERS = new Set(['parallel', 'map', 'choose', 'split']);

/**
 * Same model calls on both sides (the requests agree) but fewer tokens on SFN, in a chain where a container that
 * calls models has a retry or a catch: the tokens of a failed attempt, which Step Functions drops with it.
 */
function lostAttemptTokens(index: Map<string, StepEntry>, local: unknown, sfn: unknown): string | undefined {
  const total = (usage: unknown) => (usage as { totalTokens?: number }).totalTokens ?? 0;
  if (total(local) <= total(sfn)) return undefined;
  const callsModels = (id: string) =>
    [...index.entries()].some(
      ([inner, entry]) => entry.step.type === 'invoke' && ancestorsOf(index, inner).includes(id),
    );
  const containers = [...index.values()]
    .map((entry) => entry.step)
    .filter((step) => CONTAINERS.has(step.type) && step.type !== 'respond' && callsModels(step.id));
  const policyOf = (step: Step) => (step.type === 'respond' ? undefined : step.policy);
  if (containers.some((step) => policyOf(step)?.retry)) {
    return 'usage: tokens of a failed attempt of a retried container count on runtime-local only';
  }
  if (containers.some((step) => policyOf(step)?.catch)) {
    return 'usage: tokens of a container that failed into its catch count on runtime-local only';
  }
  return undefined;
}

/** The usage without Mistral's models, whose InvokeModel tokens SFN cannot see. */
function withoutMistral(usage: unknown): unknown {
  const { byModel = {}, ...totals } = usage as {
    byModel?: Record<string, { inputTokens: number; outputTokens: number }>;
  };
  const out = { ...(totals as Record<string, number>) };
  const kept: Record<string, unknown> = {};
  for (const [model, tokens] of Object.entries(byModel)) {
    if (modelFamilyOf(model) !== 'mistral') {
      kept[model] = tokens;
      continue;
    }
    out.inputTokens = (out.inputTokens ?? 0) - tokens.inputTokens;
    out.outputTokens = (out.outputTokens ?? 0) - tokens.outputTokens;
    out.totalTokens = (out.totalTokens ?? 0) - tokens.inputTokens - tokens.outputTokens;
  }
  return { ...out, byModel: kept };
}

/**
 * Whether a chain has steps that run at once (a parallel of several branches, a map) inside a step whose retry or
 * catch outlives a failure among them, so the run goes on after siblings were stopped midway.
 */
function survivesConcurrentFailure(index: Map<string, StepEntry>): boolean {
  const concurrentSteps = [...index.values()].filter(
    ({ step }) => step.type === 'map' || (step.type === 'parallel' && Object.keys(step.branches).length > 1),
  );
  return concurrentSteps.some(({ step }) =>
    [step.id, ...ancestorsOf(index, step.id)].some((id) => {
      const outer = index.get(id)?.step;
      return outer !== undefined && outer.type !== 'respond' && (outer.policy?.retry || outer.policy?.catch);
    }),
  );
}

/** Whether a step runs inside a map (so once per item, at once). */
function underMap(index: Map<string, StepEntry>, stepId: string | undefined): boolean {
  return stepId !== undefined && ancestorsOf(index, stepId).some((id) => index.get(id)?.step.type === 'map');
}

/**
 * Two failing steps that run at once: under one map (its iterations run at once), or in different branches of one
 * parallel.
 */
function concurrent(index: Map<string, StepEntry>, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const [up, other] = [
    [a, ...ancestorsOf(index, a)],
    [b, ...ancestorsOf(index, b)],
  ];
  const common = up.filter((id) => other.includes(id) && id !== a && id !== b);
  if (common.some((id) => index.get(id)?.step.type === 'map')) return true;
  const lowest = common[0] === undefined ? undefined : index.get(common[0])?.step;
  if (lowest?.type !== 'parallel') return false;
  const branchOf = (path: string[]) => {
    const child = path[path.indexOf(lowest.id) - 1];
    return Object.entries(lowest.branches).find(([, list]) => list.some((step) => step.id === child))?.[0];
  };
  const [x, y] = [branchOf(up), branchOf(other)];
  return x !== undefined && y !== undefined && x !== y;
}

/** How sfn's failing step relates to local's: none, an enclosing step of it, a step inside it, another. */
function stepRelation(index: Map<string, StepEntry>, local: string | undefined, sfn: string | undefined): string {
  if (sfn === undefined) return 'sfn names no step';
  if (local === undefined) return 'local names no step';
  const typeOfStep = (id: string) => index.get(id)?.step.type ?? 'unknown step';
  if (ancestorsOf(index, local).includes(sfn)) return `sfn names the enclosing ${typeOfStep(sfn)}`;
  if (ancestorsOf(index, sfn).includes(local))
    return `sfn names a ${typeOfStep(sfn)} inside the failing ${typeOfStep(local)}`;
  if (index.get(local)?.via === 'fallback')
    return `sfn names a ${typeOfStep(sfn)}, local a fallback's ${typeOfStep(local)}`;
  return `sfn names another ${typeOfStep(sfn)} (local: ${typeOfStep(local)})`;
}

/** A failure and its message, or nothing (the run succeeded). */
type Side = Failure | undefined;

const has = (side: Side, pattern: RegExp) => side !== undefined && pattern.test(side.message);

/**
 * Failures that differ for a recognised cause, tried in order: the first that applies names the class. Each test
 * gets the two sides' failures (`undefined` for a side that succeeded) and the aspects that differ.
 */
const FAILURE_CAUSES: Array<{ kind: (aspects: string) => string; applies(local: Side, sfn: Side): boolean }> = [
  {
    kind: () =>
      'placeholder: a bare {{path}} on an object, array or null fails locally (States.Runtime), SFN renders it',
    applies: (local, sfn) =>
      has(local, /template path "[^"]*" is (?:an object|an array|null); use/) &&
      !has(sfn, /template path "[^"]*" is (?:an object|an array|null); use/),
  },
  {
    kind: () => 'stop sequences: more than 4 fail on SFN (Bedrock refuses them), not locally',
    applies: (local, sfn) => has(sfn, /stopSequences holds at most 4/) && !has(local, /stopSequences holds at most 4/),
  },
  {
    kind: () =>
      "control tokens: the emulator's Bedrock refuses a Llama 3 or Mistral prompt holding chat control tokens",
    applies: (local, sfn) =>
      has(sfn, /Malformed input request for (?:Meta Llama 3|Mistral)/) &&
      !has(local, /Malformed input request for (?:Meta Llama 3|Mistral)/),
  },
  {
    kind: (aspects) => `chain output: a failing chain output differs (${aspects})`,
    applies: (local, sfn) =>
      has(local, /chain output could not be built|state 'Output'/) ||
      has(sfn, /chain output could not be built|state 'Output'/),
  },
];

function failureLabel(failure: Failure | undefined): string {
  if (!failure) return 'nothing';
  return failure.error ?? failure.name;
}

function describeFailures(l: Failure | undefined, s: Failure | undefined): string {
  const one = (f: Failure | undefined) =>
    f ? `${f.name}/${f.error ?? '-'}@${f.stepId ?? '-'} "${f.message}"` : 'succeeded';
  return `local ${one(l)}; sfn ${one(s)}`;
}

/**
 * Compares what the two runtimes did with one chain, by decision 0001: successful runs by the model requests the
 * fakes received, the events (timings aside), output, streamed text and usage; failed runs by the error (name, ASL
 * error, step id, retryability) and the text streamed before it, since Step Functions returns no state on failure.
 * Differences with a recognised cause get a kind naming it (numbers, `| json` key order, Mistral usage, races,
 * non-scalar placeholders, chain output, control tokens).
 *
 * @example
 * ```ts
 * const mismatches = compareObservations(chain.steps, local, sfn);
 * ```
 */
export function compareObservations(steps: Step[], local: Observation, sfn: Observation): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [side, observation] of [
    ['local', local],
    ['sfn', sfn],
  ] as const) {
    if (observation.hung) out.push({ kind: `hang: ${side} did not finish`, detail: 'no end within the guard time' });
    else if (observation.thrown) out.push({ kind: `crash: the ${side} stream threw`, detail: observation.thrown });
  }
  if (out.length > 0) return out;

  const deploy = sfn.failure && /deploy of .* failed|CreateStateMachine/.exec(sfn.failure.message);
  if (deploy && sfn.failure) {
    return [
      {
        kind: `deploy: the emulator refuses the compiled definition (${definitionProblem(sfn.failure.message)})`,
        detail: sfn.failure.message,
        sfn: sfn.failure,
      },
    ];
  }

  const index = stepIndex(steps);
  if (local.end && sfn.end) {
    const requests = compareRequests(index, local.requests, sfn.requests);
    if (requests) out.push(requests);
    const events = compareEvents(index, local.events, sfn.events, requests);
    if (events) out.push(events);
    const output = firstDifference(local.end.output, sfn.end.output);
    if (output) {
      out.push({
        kind: differenceKind('output', output, hasMistral(index)),
        detail: `output${output.path}: local ${show(output.local)}, sfn ${show(output.sfn)}`,
        local: local.end.output,
        sfn: sfn.end.output,
      });
    }
    if (local.text !== sfn.text) {
      out.push({
        kind: explainText(local.text, sfn.text, hasMistral(index)) ?? 'text differs',
        detail: `local ${show(local.text)}, sfn ${show(sfn.text)}`,
        local: local.text,
        sfn: sfn.text,
      });
    }
    if (!sameJson(local.end.usage, sfn.end.usage)) {
      // Usage follows what was sent: a request that differs explains it. Mistral's InvokeModel counts do not reach SFN.
      const mistralOnly = sameJson(withoutMistral(local.end.usage), withoutMistral(sfn.end.usage));
      const kind = mistralOnly
        ? MISTRAL_USAGE
        : requests
          ? `usage differs after: ${requests.kind}`
          : (lostAttemptTokens(index, local.end.usage, sfn.end.usage) ?? 'usage differs');
      out.push({
        kind,
        detail: `local ${show(local.end.usage, 400)}, sfn ${show(sfn.end.usage, 400)}`,
        local: local.end.usage,
        sfn: sfn.end.usage,
      });
    }
    // One cause, one class: a run whose only differences follow from one explained cause shows that cause once.
    return out.filter((mismatch, at) => out.findIndex((other) => other.kind === mismatch.kind) === at);
  }

  const [l, s] = [local.failure, sfn.failure];
  const detail = describeFailures(l, s);
  if (local.end || sfn.end) {
    const [failed, side] = local.end ? [s, 'sfn'] : [l, 'local'];
    out.push({ kind: `outcome: only ${side} fails (${failureLabel(failed)})`, detail, local: l, sfn: s });
  } else if (l && s) {
    if (l.name !== s.name) out.push({ kind: `error.name: local ${l.name}, sfn ${s.name}`, detail, local: l, sfn: s });
    else if (l.error !== s.error) {
      out.push({ kind: `error.asl: local ${l.error ?? '-'}, sfn ${s.error ?? '-'}`, detail, local: l, sfn: s });
    }
    if (l.stepId === s.stepId && l.error !== s.error && underMap(index, l.stepId)) {
      // Iterations of one map run at once: each runtime may report another iteration's failure.
      out.push({ kind: 'race: steps that run at once both fail, and each runtime reports another one', detail });
    }
    if (l.stepId !== s.stepId) {
      const race = concurrent(index, l.stepId, s.stepId);
      out.push({
        kind: race
          ? 'race: steps that run at once both fail, and each runtime reports another one'
          : `error.stepId: ${stepRelation(index, l.stepId, s.stepId)}`,
        detail,
        local: l,
        sfn: s,
      });
    }
    if (l.retryable !== s.retryable) {
      out.push({
        kind: `error.retryable: local ${l.retryable}, sfn ${s.retryable} (${l.error ?? l.name})`,
        detail,
        local: l,
        sfn: s,
      });
    }
    if (local.text !== sfn.text) {
      out.push({
        kind: 'error.text: the text streamed before the failure differs',
        detail: `local ${show(local.text)}, sfn ${show(sfn.text)}`,
        local: local.text,
        sfn: sfn.text,
      });
    }
  }
  if (out.length === 0) return out;
  // A recognised cause names the whole difference (which aspects differ is in the kind where it helps).
  const cause = FAILURE_CAUSES.find((entry) => entry.applies(l, s));
  if (cause) {
    const aspects = out.map((mismatch) => mismatch.kind.split(':')[0]).join(', ');
    return [{ kind: cause.kind(aspects), detail, local: l, sfn: s }];
  }
  // A race explains the other differences of the error too.
  const race = out.find((mismatch) => mismatch.kind.startsWith('race:'));
  return race ? [race] : out;
}
