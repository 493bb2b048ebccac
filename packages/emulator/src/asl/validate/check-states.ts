import { checkPath, checkPathOrIntrinsic, checkPayloadTemplate, checkReferencePath } from './check-paths';
import { checkCatch, checkChoices, checkRetry, isJsonataExpression, type QueryLanguage } from './check-rules';
import { type Findings, has, type JsonObject } from './findings';
import { mapLabelProblem } from './map-label';
import { isRfc3339Timestamp } from './rfc3339-timestamp';
import { JSONATA_ONLY_FIELDS, JSONPATH_ONLY_FIELDS, STATE_FIELDS, STATE_TYPES, type StateType } from './state-fields';

/**
 * What the checks of one definition share. @internal
 *
 * @example
 * ```ts
 * const context: ValidationContext = { findings: new Findings(), machineLanguage: 'JSONPath', machineType: 'EXPRESS', stateNames: new Set() };
 * ```
 */
export interface ValidationContext {
  findings: Findings;
  /** The machine's `QueryLanguage`, which states inherit (a Map or Parallel passes nothing to its inner states). */
  machineLanguage: QueryLanguage;
  machineType: 'STANDARD' | 'EXPRESS';
  /** Every state name met so far: names are unique across the whole machine. */
  stateNames: Set<string>;
}

/** A state name holds at most this many characters. */
const MAX_STATE_NAME_LENGTH = 80;
/** Step Functions' bound for `TimeoutSeconds`, `HeartbeatSeconds` and `Seconds`. */
const MAX_SECONDS = 99_999_999;
const WAIT_TIMING = ['SecondsPath', 'Seconds', 'TimestampPath', 'Timestamp'];
const TRANSITIONING: ReadonlySet<string> = new Set(['Pass', 'Task', 'Wait', 'Parallel', 'Map']);

interface Target {
  name: string;
  location: string;
}

interface StateSummary {
  targets: Target[];
  /** `End: true`, or a Succeed or Fail state. */
  terminal: boolean;
}

/**
 * A state's effective query language: `JSONPath` only when its `QueryLanguage` is exactly that; absent, the machine's;
 * any other value, JSONata (as AWS resolves it, reporting the value too). Reports a JSONPath state in a JSONata machine.
 */
function stateLanguage(
  context: ValidationContext,
  state: JsonObject,
  location: string,
): { language: QueryLanguage; downgraded: boolean } {
  const { findings } = context;
  if (!has(state, 'QueryLanguage')) return { language: context.machineLanguage, downgraded: false };
  const declared = state.QueryLanguage;
  findings.oneOf(declared, ['JSONPath', 'JSONata'], `${location}/QueryLanguage`);
  if (declared !== 'JSONPath') return { language: 'JSONata', downgraded: false };
  if (context.machineLanguage === 'JSONata') {
    findings.schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", location);
    return { language: 'JSONPath', downgraded: true };
  }
  return { language: 'JSONPath', downgraded: false };
}

/** A number field that a JSONata state may also give as an expression. */
function checkSeconds(
  findings: Findings,
  value: unknown,
  location: string,
  language: QueryLanguage,
  min: number,
  max = MAX_SECONDS,
): void {
  if (language === 'JSONata' && isJsonataExpression(value)) return;
  findings.number(value, location, { integer: true, min, max });
}

/** Task `Resource`: an ARN, and for EXPRESS machines neither an activity nor a `.sync` or `.waitForTaskToken` pattern. */
function checkResource(context: ValidationContext, resource: string, location: string): void {
  const { findings } = context;
  const at = `${location}/Resource`;
  if (!/^arn:[^:]+:[^:]+:/.test(resource)) {
    // AWS refuses a Resource that is not an ARN at this location; the wording of its message is not documented.
    findings.schema('Value is not a valid resource ARN', at);
    return;
  }
  if (context.machineType !== 'EXPRESS') return;
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) {
    findings.schema('Express state machine does not support Activity ARN', at);
  } else if (resource.endsWith('.waitForTaskToken')) {
    // AWS's message ends with a space, so the refusal reads "integration  at /States/...".
    findings.schema("Express state machine does not support '.waitForTaskToken' service integration ", at);
  } else if (/\.sync(?::\d+)?$/.test(resource)) {
    findings.schema("Express state machine does not support '.sync' service integration", at);
  }
}

function checkTask(context: ValidationContext, state: JsonObject, location: string, language: QueryLanguage): void {
  const { findings } = context;
  if (
    findings.required(state, ['Resource'], location) &&
    findings.type(state.Resource, 'STRING', `${location}/Resource`)
  ) {
    checkResource(context, state.Resource as string, location);
  }
  findings.exclusive(state, ['TimeoutSeconds', 'TimeoutSecondsPath'], location);
  findings.exclusive(state, ['HeartbeatSeconds', 'HeartbeatSecondsPath'], location);
  if (has(state, 'TimeoutSeconds'))
    checkSeconds(findings, state.TimeoutSeconds, `${location}/TimeoutSeconds`, language, 1);
  if (has(state, 'HeartbeatSeconds')) {
    checkSeconds(findings, state.HeartbeatSeconds, `${location}/HeartbeatSeconds`, language, 1);
  }
  if (language === 'JSONPath') {
    for (const field of ['TimeoutSecondsPath', 'HeartbeatSecondsPath']) {
      if (has(state, field)) checkReferencePath(findings, state[field], `${location}/${field}`);
    }
  }
  if (has(state, 'Credentials')) findings.type(state.Credentials, 'OBJECT', `${location}/Credentials`);
}

function checkWait(findings: Findings, state: JsonObject, location: string, language: QueryLanguage): void {
  const present = WAIT_TIMING.filter((field) => has(state, field));
  if (present.length > 1) {
    findings.schema(`There should only be one of the following fields: [${WAIT_TIMING.join(', ')}]`, location);
  } else if (present.length === 0) {
    findings.schema(`This object should have only one of the following fields: [${WAIT_TIMING.join(', ')}]`, location);
  }
  if (has(state, 'Seconds')) checkSeconds(findings, state.Seconds, `${location}/Seconds`, language, 0);
  if (has(state, 'Timestamp') && !(language === 'JSONata' && isJsonataExpression(state.Timestamp))) {
    const at = `${location}/Timestamp`;
    if (findings.type(state.Timestamp, 'STRING', at) && !isRfc3339Timestamp(state.Timestamp as string)) {
      findings.schema('String does not match RFC3339 timestamp', at);
    }
  }
  if (language === 'JSONPath') {
    for (const field of ['SecondsPath', 'TimestampPath']) {
      if (has(state, field)) checkReferencePath(findings, state[field], `${location}/${field}`);
    }
  }
}

function checkFail(findings: Findings, state: JsonObject, location: string, language: QueryLanguage): void {
  findings.exclusive(state, ['Error', 'ErrorPath'], location);
  findings.exclusive(state, ['Cause', 'CausePath'], location);
  for (const field of ['Error', 'Cause']) {
    if (has(state, field) && !(language === 'JSONata' && isJsonataExpression(state[field]))) {
      findings.type(state[field], 'STRING', `${location}/${field}`);
    }
  }
  if (language === 'JSONPath') {
    for (const field of ['ErrorPath', 'CausePath']) {
      if (has(state, field)) checkPathOrIntrinsic(findings, field, state[field], location);
    }
  }
}

function checkProcessorConfig(findings: Findings, config: unknown, location: string): void {
  if (!findings.type(config, 'OBJECT', location)) return;
  const object = config as JsonObject;
  for (const key of Object.keys(object))
    if (key !== 'Mode' && key !== 'ExecutionType') findings.unsupported(key, location);
  if (has(object, 'Mode')) findings.oneOf(object.Mode, ['INLINE', 'DISTRIBUTED'], `${location}/Mode`);
  if (object.Mode === 'DISTRIBUTED') findings.required(object, ['ExecutionType'], location);
  if (has(object, 'ExecutionType'))
    findings.oneOf(object.ExecutionType, ['STANDARD', 'EXPRESS'], `${location}/ExecutionType`);
}

function checkMap(context: ValidationContext, state: JsonObject, location: string, language: QueryLanguage): void {
  const { findings } = context;
  const processors = ['ItemProcessor', 'Iterator'].filter((field) => has(state, field));
  if (processors.length > 1) findings.exclusive(state, ['ItemProcessor', 'Iterator'], location);
  if (processors.length === 0) {
    findings.schema('This object should have only one of the following fields: [ItemProcessor, Iterator]', location);
  }
  for (const field of processors) {
    const at = `${location}/${field}`;
    if (!findings.type(state[field], 'OBJECT', at)) continue;
    const processor = state[field] as JsonObject;
    checkContainer(context, processor, at, { top: false, fields: ['StartAt', 'States', 'Comment', 'ProcessorConfig'] });
    if (has(processor, 'ProcessorConfig'))
      checkProcessorConfig(findings, processor.ProcessorConfig, `${at}/ProcessorConfig`);
  }
  for (const [field, pathField, integer, max] of [
    ['MaxConcurrency', 'MaxConcurrencyPath', true, undefined],
    ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', false, 100],
    ['ToleratedFailureCount', 'ToleratedFailureCountPath', true, undefined],
  ] as const) {
    findings.exclusive(state, [field, pathField], location);
    if (has(state, field) && !(language === 'JSONata' && isJsonataExpression(state[field]))) {
      findings.number(state[field], `${location}/${field}`, { integer, min: 0, ...(max !== undefined ? { max } : {}) });
    }
    if (language === 'JSONPath' && has(state, pathField)) {
      checkReferencePath(findings, state[pathField], `${location}/${pathField}`);
    }
  }
  if (language === 'JSONPath') {
    if (has(state, 'ItemsPath')) checkReferencePath(findings, state.ItemsPath, `${location}/ItemsPath`);
    for (const field of ['ItemSelector', 'Parameters']) {
      if (has(state, field) && findings.type(state[field], 'OBJECT', `${location}/${field}`)) {
        checkPayloadTemplate(findings, state[field], `${location}/${field}`);
      }
    }
  }
  for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter']) {
    if (has(state, field)) findings.type(state[field], 'OBJECT', `${location}/${field}`);
  }
  if (has(state, 'Label') && findings.type(state.Label, 'STRING', `${location}/Label`)) {
    const problem = mapLabelProblem(state.Label as string);
    if (problem !== undefined) {
      findings.schema(problem, `${location}/Label`);
      findings.labelProblem ??= problem;
    }
  }
}

function checkParallel(context: ValidationContext, state: JsonObject, location: string): void {
  const { findings } = context;
  if (!findings.required(state, ['Branches'], location)) return;
  if (!findings.type(state.Branches, 'ARRAY', `${location}/Branches`)) return;
  (state.Branches as unknown[]).forEach((branch, index) => {
    const at = `${location}/Branches[${index}]`;
    if (findings.type(branch, 'OBJECT', at)) {
      checkContainer(context, branch as JsonObject, at, { top: false, fields: ['StartAt', 'States', 'Comment'] });
    }
  });
}

/** The JSONPath input and output fields every state type shares (each only where the type supports it). */
function checkJsonPathFields(findings: Findings, type: StateType, state: JsonObject, location: string): void {
  const supported = (field: string) => has(state, field) && STATE_FIELDS[type].has(field);
  for (const field of ['InputPath', 'OutputPath']) {
    if (supported(field)) checkPath(findings, state[field], `${location}/${field}`);
  }
  if (supported('ResultPath')) {
    checkReferencePath(findings, state.ResultPath, `${location}/ResultPath`, { nullable: true });
  }
  const templates = type === 'Map' ? ['ResultSelector', 'Assign'] : ['Parameters', 'ResultSelector', 'Assign'];
  for (const field of templates) {
    if (!supported(field)) continue;
    if (findings.type(state[field], 'OBJECT', `${location}/${field}`)) {
      checkPayloadTemplate(findings, state[field], `${location}/${field}`);
    }
  }
}

function transitionsOf(type: StateType, state: JsonObject, location: string): Target[] {
  const targets: Target[] = [];
  const add = (name: unknown, at: string) => {
    if (typeof name === 'string') targets.push({ name, location: at });
  };
  if (TRANSITIONING.has(type)) add(state.Next, `${location}/Next`);
  if (type === 'Choice' && Array.isArray(state.Choices)) {
    state.Choices.forEach((rule: unknown, index: number) => {
      if (typeof rule === 'object' && rule !== null)
        add((rule as JsonObject).Next, `${location}/Choices[${index}]/Next`);
    });
  }
  if (type === 'Choice') add(state.Default, `${location}/Default`);
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher: unknown, index: number) => {
      if (typeof catcher === 'object' && catcher !== null) {
        add((catcher as JsonObject).Next, `${location}/Catch[${index}]/Next`);
      }
    });
  }
  return targets;
}

function checkState(context: ValidationContext, state: unknown, location: string): StateSummary {
  const { findings } = context;
  const none: StateSummary = { targets: [], terminal: false };
  if (!findings.type(state, 'OBJECT', location)) return none;
  const object = state as JsonObject;
  if (!findings.required(object, ['Type'], location)) return none;
  if (!findings.type(object.Type, 'STRING', `${location}/Type`)) return none;
  if (!(STATE_TYPES as readonly string[]).includes(object.Type as string)) {
    findings.schema(`Value should be one of the following: [${STATE_TYPES.join(', ')}]`, `${location}/Type`);
    return none;
  }
  const type = object.Type as StateType;
  const { language, downgraded } = stateLanguage(context, object, location);
  if (language === 'JSONata') findings.usesJsonata = true;
  for (const key of Object.keys(object)) {
    if (!STATE_FIELDS[type].has(key)) findings.unsupported(key, location);
    else if (!downgraded && language === 'JSONPath' && JSONATA_ONLY_FIELDS.has(key)) {
      findings.schema(
        `The QueryLanguage is set to 'JSONPath', but field '${key}' is only supported for the 'JSONata' QueryLanguage`,
        location,
      );
    } else if (!downgraded && language === 'JSONata' && JSONPATH_ONLY_FIELDS.has(key)) {
      findings.schema(
        `The QueryLanguage is set to 'JSONata', but field '${key}' is only supported for the 'JSONPath' QueryLanguage`,
        location,
      );
    }
  }
  if (has(object, 'Comment')) findings.type(object.Comment, 'STRING', `${location}/Comment`);
  let terminal = type === 'Succeed' || type === 'Fail';
  if (TRANSITIONING.has(type)) {
    const next = has(object, 'Next');
    if (has(object, 'End')) findings.type(object.End, 'BOOLEAN', `${location}/End`);
    terminal = object.End === true;
    if (next && terminal) findings.schema('There should only be one of the following fields: [Next, End]', location);
    else if (!next && !terminal)
      findings.schema('This object should have only one of the following fields: [Next, End]', location);
    if (next) findings.type(object.Next, 'STRING', `${location}/Next`);
  }
  if (language === 'JSONPath') checkJsonPathFields(findings, type, object, location);
  else if (has(object, 'Assign')) findings.type(object.Assign, 'OBJECT', `${location}/Assign`);
  switch (type) {
    case 'Task':
      checkTask(context, object, location, language);
      break;
    case 'Choice':
      checkChoices(findings, object, location, language);
      break;
    case 'Wait':
      checkWait(findings, object, location, language);
      break;
    case 'Fail':
      checkFail(findings, object, location, language);
      break;
    case 'Parallel':
      checkParallel(context, object, location);
      break;
    case 'Map':
      checkMap(context, object, location, language);
      break;
    default:
      break;
  }
  if (STATE_FIELDS[type].has('Retry') && has(object, 'Retry')) checkRetry(findings, object.Retry, location);
  if (STATE_FIELDS[type].has('Catch') && has(object, 'Catch')) checkCatch(findings, object.Catch, location, language);
  return { targets: transitionsOf(type, object, location), terminal };
}

/**
 * Checks a set of states with its `StartAt`: the machine itself (`base` empty), a Parallel branch
 * (`/States/P/Branches[0]`) or a Map's `ItemProcessor`. Reports each state's problems, then the graph's: transitions to
 * no state of this set (`MISSING_TRANSITION_TARGET`), at the top level a machine with no terminal state
 * (`MISSING_END_STATE`), otherwise states that `StartAt` does not lead to.
 * @internal
 *
 * @example
 * ```ts
 * checkContainer(context, { StartAt: 'A', States: { A: { Type: 'Succeed' } } }, '', { top: true }); // nothing to report
 * ```
 */
export function checkContainer(
  context: ValidationContext,
  container: JsonObject,
  base: string,
  { top, fields }: { top: boolean; fields?: string[] },
): void {
  const { findings } = context;
  const at = base === '' ? '/' : base;
  if (fields) for (const key of Object.keys(container)) if (!fields.includes(key)) findings.unsupported(key, at);
  // AWS lists the two missing together as `[States, StartAt]`.
  findings.required(container, ['States', 'StartAt'], at);
  const startAt = typeof container.StartAt === 'string' ? container.StartAt : undefined;
  if (has(container, 'StartAt')) findings.type(container.StartAt, 'STRING', `${base}/StartAt`);
  if (!has(container, 'States') || !findings.type(container.States, 'OBJECT', `${base}/States`)) return;
  const states = container.States as JsonObject;
  const summaries = new Map<string, StateSummary>();
  for (const [name, state] of Object.entries(states)) {
    const location = `${base}/States/${name}`;
    if ([...name].length > MAX_STATE_NAME_LENGTH) {
      findings.graph(
        'INVALID_STATE_NAME',
        `Invalid State name: State '${name}' exceeds the ${MAX_STATE_NAME_LENGTH}-character limit allowed by the service`,
        location,
      );
    }
    if (context.stateNames.has(name)) findings.graph('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, location);
    context.stateNames.add(name);
    summaries.set(name, checkState(context, state, location));
  }
  if (startAt !== undefined && !has(states, startAt)) {
    findings.graph('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${startAt}`, `${base}/StartAt`);
  }
  for (const summary of summaries.values()) {
    for (const target of summary.targets) {
      if (!has(states, target.name)) {
        findings.graph('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${target.name}`, target.location);
      }
    }
  }
  if (top && summaries.size > 0 && ![...summaries.values()].some((summary) => summary.terminal)) {
    // AWS reports this without a location and then skips the reachability check.
    findings.graph('MISSING_END_STATE', 'Workflow has no terminal state');
    return;
  }
  const reached = new Set<string>();
  const queue = startAt !== undefined && has(states, startAt) ? [startAt] : [];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (reached.has(name)) continue;
    reached.add(name);
    for (const target of summaries.get(name)?.targets ?? []) if (has(states, target.name)) queue.push(target.name);
  }
  for (const name of summaries.keys()) {
    if (!reached.has(name)) {
      findings.graph('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${base}/States/${name}`);
    }
  }
}
