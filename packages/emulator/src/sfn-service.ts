import { randomUUID } from 'node:crypto';
import { jacksonJsonError } from './asl/validate/jackson-json-error';
import { analyzeDefinition, invalidDefinitionMessage, MAX_DEFINITION_LENGTH } from './asl/validate/validate-definition';
import type { EmulatorServices } from './emulator-services';
import { executeStateMachine, MAX_PAYLOAD_BYTES } from './execute-state-machine';

/** A JSON 1.0 answer: HTTP status and body. @internal */
export interface SfnReply {
  status: number;
  body: Record<string, unknown>;
}

/** Options of the Step Functions emulator. @internal */
export interface SfnServiceOptions {
  region: string;
  accountId: string;
  retryDelayMs?: number | undefined;
  executionTimeoutSeconds?: number | undefined;
  random?: (() => number) | undefined;
  fastForwardWaits?: boolean | undefined;
}

interface StoredMachine {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: string;
  parsed: Record<string, unknown>;
  /** Whether a state uses JSONata, which the emulator does not run. */
  usesJsonata: boolean;
  roleArn: string;
  loggingConfiguration: Record<string, unknown>;
  tracingConfiguration: Record<string, unknown>;
  description?: string;
  creationDate: number;
  revisionId: string;
}

/** A service error: `__type` is `com.amazonaws.sfn#<code>`. */
class SfnFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;
const MACHINE_TYPES = ['STANDARD', 'EXPRESS'] as const;
type MachineType = (typeof MACHINE_TYPES)[number];

function fault(code: string, message: string): SfnFault {
  return new SfnFault(code, message);
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (value === undefined || value === null)
    throw fault(
      'ValidationException',
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  if (typeof value !== 'string') throw fault('SerializationException', `${key} must be a string`);
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw fault('SerializationException', `${key} must be a string`);
  return value;
}

function optionalObject(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw fault('SerializationException', `${key} must be an object`);
  return value as Record<string, unknown>;
}

const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'];
/** A CloudWatch Logs log group ARN as Step Functions takes it: ending in `:*`. */
const LOG_GROUP_ARN = /^arn:aws[\w-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w.\-/#]{1,512}:\*$/;

/**
 * A `loggingConfiguration`, checked as the Step Functions API reference states it (LoggingConfiguration,
 * LogDestination, CloudWatchLogsLogGroup): `level` one of `ALL | ERROR | FATAL | OFF` (an enum of the API model, so
 * `ValidationException`), `includeExecutionData` a boolean, `destinations` "limited to size 1" and "required, if your
 * log level is not set to OFF", a `logGroupArn` of 1 to 256 characters that "must end with `:*`". The semantic checks
 * answer `InvalidLoggingConfiguration`, the service's own error for them; their messages are the emulator's.
 */
function loggingOf(value: Record<string, unknown> | undefined): Record<string, unknown> {
  const level = value?.level ?? 'OFF';
  if (typeof level !== 'string') throw fault('SerializationException', 'loggingConfiguration.level must be a string');
  if (!LOG_LEVELS.includes(level)) {
    throw fault(
      'ValidationException',
      `1 validation error detected: Value '${level}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [${LOG_LEVELS.join(', ')}]`,
    );
  }
  const include = value?.includeExecutionData ?? false;
  if (typeof include !== 'boolean') {
    throw fault('SerializationException', 'loggingConfiguration.includeExecutionData must be a boolean');
  }
  const given = value?.destinations ?? [];
  if (!Array.isArray(given)) throw fault('SerializationException', 'loggingConfiguration.destinations must be a list');
  if (given.length > 1) {
    throw fault(
      'InvalidLoggingConfiguration',
      `Invalid Logging Configuration: at most one log destination is allowed, ${given.length} were given.`,
    );
  }
  const destinations = given.map((destination: unknown) => {
    const group = (destination as { cloudWatchLogsLogGroup?: { logGroupArn?: unknown } } | null)
      ?.cloudWatchLogsLogGroup;
    const arn = group?.logGroupArn;
    if (arn !== undefined && typeof arn !== 'string') {
      throw fault('SerializationException', 'cloudWatchLogsLogGroup.logGroupArn must be a string');
    }
    if (typeof arn === 'string' && (arn.length < 1 || arn.length > 256)) {
      throw fault(
        'ValidationException',
        `1 validation error detected: Value '${arn}' at 'loggingConfiguration.destinations.1.member.cloudWatchLogsLogGroup.logGroupArn' failed to satisfy constraint: Member must have length ${arn.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 256'}`,
      );
    }
    if (arn === undefined) {
      throw fault(
        'InvalidLoggingConfiguration',
        'Invalid Logging Configuration: a log destination names no log group.',
      );
    }
    if (!LOG_GROUP_ARN.test(arn)) {
      throw fault(
        'InvalidLoggingConfiguration',
        `Invalid Logging Configuration: '${arn}' is not a CloudWatch Logs log group ARN ending with ':*' (arn:aws:logs:<region>:<account>:log-group:<name>:*).`,
      );
    }
    return { cloudWatchLogsLogGroup: { logGroupArn: arn } };
  });
  if (level !== 'OFF' && destinations.length === 0) {
    throw fault(
      'InvalidLoggingConfiguration',
      `Invalid Logging Configuration: a log destination is required when the logging level is ${level}.`,
    );
  }
  return {
    level,
    includeExecutionData: include,
    ...(destinations.length > 0 ? { destinations } : {}),
  };
}

/**
 * A `tracingConfiguration`: `enabled` must be `true` or `false`, else `InvalidTracingConfiguration` (the API
 * reference: "Your tracingConfiguration key does not match, or enabled has not been set to true or false").
 */
function tracingOf(value: Record<string, unknown> | undefined): Record<string, unknown> {
  const enabled = value?.enabled ?? false;
  if (typeof enabled !== 'boolean') {
    throw fault(
      'InvalidTracingConfiguration',
      `Invalid Tracing Configuration: enabled must be true or false, not ${JSON.stringify(enabled)}.`,
    );
  }
  return { enabled };
}

const now = (): number => Date.now() / 1000;

/** The request's machine `type` (default `STANDARD`). */
function machineType(body: Record<string, unknown>): MachineType {
  const type = optionalString(body, 'type') ?? 'STANDARD';
  if (!(MACHINE_TYPES as readonly string[]).includes(type)) {
    throw fault(
      'ValidationException',
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
    );
  }
  return type as MachineType;
}

/** The API's length constraint on `definition`: 1 to 1,048,576 characters. */
function checkDefinitionLength(definition: string): void {
  if (definition.length === 0) {
    throw fault(
      'ValidationException',
      "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (definition.length > MAX_DEFINITION_LENGTH) {
    throw fault(
      'ValidationException',
      `1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DEFINITION_LENGTH}`,
    );
  }
}

/**
 * The Step Functions control plane and StartSyncExecution, in memory. Answers each JSON 1.0 operation with the
 * service's shapes and error codes.
 * @internal
 */
export class SfnService {
  readonly #machines = new Map<string, StoredMachine>();
  readonly #services: EmulatorServices;
  readonly #options: SfnServiceOptions;

  constructor(services: EmulatorServices, options: SfnServiceOptions) {
    this.#services = services;
    this.#options = options;
  }

  /** Handles one call: `operation` from `X-Amz-Target`, `raw` the request body. Never throws. */
  async handle(operation: string, raw: string): Promise<SfnReply> {
    try {
      let body: unknown;
      try {
        body = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        throw fault('SerializationException', 'The request body is not valid JSON.');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw fault('SerializationException', 'The request body must be a JSON object.');
      }
      const input = body as Record<string, unknown>;
      switch (operation) {
        case 'CreateStateMachine':
          return ok(this.#create(input));
        case 'UpdateStateMachine':
          return ok(this.#update(input));
        case 'DescribeStateMachine':
          return ok(this.#describe(input));
        case 'ListStateMachines':
          return ok(this.#list(input));
        case 'DeleteStateMachine':
          return ok(this.#delete(input));
        case 'ValidateStateMachineDefinition':
          return ok(this.#validate(input));
        case 'StartSyncExecution':
          return ok(await this.#startSync(input));
        default:
          return {
            status: 400,
            body: {
              __type: 'com.amazon.coral.service#UnknownOperationException',
              message: `The operation ${operation || '(none)'} is not supported by the stepwise emulator.`,
            },
          };
      }
    } catch (error) {
      if (error instanceof SfnFault) {
        return { status: 400, body: { __type: `com.amazonaws.sfn#${error.code}`, message: error.message } };
      }
      return {
        status: 500,
        body: { __type: 'com.amazonaws.sfn#InternalFailure', message: (error as Error)?.message ?? String(error) },
      };
    }
  }

  #arn(name: string): string {
    return `arn:aws:states:${this.#options.region}:${this.#options.accountId}:stateMachine:${name}`;
  }

  #find(body: Record<string, unknown>): StoredMachine {
    const arn = requireString(body, 'stateMachineArn');
    if (!/^arn:aws[\w-]*:states:[^:]+:\d{12}:stateMachine:[A-Za-z0-9_-]+(?::[\w$-]+)?$/.test(arn)) {
      throw fault('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const machine = this.#machines.get(arn.replace(/^(arn:[^:]+:states:[^:]+:\d+:stateMachine:[^:]+):.*$/, '$1'));
    if (!machine) throw fault('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  /**
   * The request's definition, validated for a machine of `type` as Step Functions validates it: `ValidationException`
   * for an empty or over-long one (the API's length constraint), `InvalidDefinition` with AWS's message otherwise.
   */
  #definition(
    body: Record<string, unknown>,
    type: MachineType,
  ): Pick<StoredMachine, 'definition' | 'parsed' | 'usesJsonata'> {
    const definition = requireString(body, 'definition');
    checkDefinitionLength(definition);
    const analysis = analyzeDefinition(definition, type);
    if (!analysis.parsed) throw fault('InvalidDefinition', invalidDefinitionMessage(analysis, definition));
    return { definition, parsed: analysis.parsed, usesJsonata: analysis.usesJsonata };
  }

  #role(body: Record<string, unknown>, required: boolean): string | undefined {
    const roleArn = required ? requireString(body, 'roleArn') : optionalString(body, 'roleArn');
    if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) throw fault('InvalidArn', `Invalid Arn: '${roleArn}'`);
    return roleArn;
  }

  #create(body: Record<string, unknown>): Record<string, unknown> {
    const name = requireString(body, 'name');
    if (!NAME.test(name)) throw fault('InvalidName', `Invalid Name: '${name}'`);
    const type = machineType(body);
    const { definition, parsed, usesJsonata } = this.#definition(body, type);
    const roleArn = this.#role(body, true) as string;
    const loggingConfiguration = loggingOf(optionalObject(body, 'loggingConfiguration'));
    const tracingConfiguration = tracingOf(optionalObject(body, 'tracingConfiguration'));
    const stateMachineArn = this.#arn(name);
    const existing = this.#machines.get(stateMachineArn);
    if (existing) {
      const same =
        existing.definition === definition &&
        existing.roleArn === roleArn &&
        existing.type === type &&
        JSON.stringify(existing.loggingConfiguration) === JSON.stringify(loggingConfiguration) &&
        JSON.stringify(existing.tracingConfiguration) === JSON.stringify(tracingConfiguration);
      if (!same) throw fault('StateMachineAlreadyExists', `State Machine Already Exists: '${stateMachineArn}'`);
      return { stateMachineArn, creationDate: existing.creationDate };
    }
    const description = optionalString(body, 'description');
    const machine: StoredMachine = {
      stateMachineArn,
      name,
      type,
      definition,
      parsed,
      usesJsonata,
      roleArn,
      loggingConfiguration,
      tracingConfiguration,
      creationDate: now(),
      revisionId: randomUUID(),
      ...(description !== undefined ? { description } : {}),
    };
    this.#machines.set(stateMachineArn, machine);
    return { stateMachineArn, creationDate: machine.creationDate };
  }

  #update(body: Record<string, unknown>): Record<string, unknown> {
    const machine = this.#find(body);
    const hasDefinition = body.definition !== undefined && body.definition !== null;
    const roleArn = this.#role(body, false);
    const logging = optionalObject(body, 'loggingConfiguration');
    const tracing = optionalObject(body, 'tracingConfiguration');
    if (!hasDefinition && roleArn === undefined && !logging && !tracing) {
      throw fault(
        'MissingRequiredParameter',
        'Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified',
      );
    }
    // Everything is checked before anything changes: a refused update leaves the machine as it was.
    const definition = hasDefinition ? this.#definition(body, machine.type) : undefined;
    const loggingConfiguration = logging ? loggingOf(logging) : undefined;
    const tracingConfiguration = tracing ? tracingOf(tracing) : undefined;
    if (definition) Object.assign(machine, definition);
    if (roleArn !== undefined) machine.roleArn = roleArn;
    if (loggingConfiguration) machine.loggingConfiguration = loggingConfiguration;
    if (tracingConfiguration) machine.tracingConfiguration = tracingConfiguration;
    machine.revisionId = randomUUID();
    return { updateDate: now(), revisionId: machine.revisionId };
  }

  #describe(body: Record<string, unknown>): Record<string, unknown> {
    const machine = this.#find(body);
    return {
      stateMachineArn: machine.stateMachineArn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definition,
      roleArn: machine.roleArn,
      type: machine.type,
      creationDate: machine.creationDate,
      loggingConfiguration: machine.loggingConfiguration,
      tracingConfiguration: machine.tracingConfiguration,
      revisionId: machine.revisionId,
      ...(machine.description !== undefined ? { description: machine.description } : {}),
    };
  }

  #list(body: Record<string, unknown>): Record<string, unknown> {
    const maxResults = body.maxResults;
    if (maxResults !== undefined && (typeof maxResults !== 'number' || maxResults < 0 || maxResults > 1000)) {
      throw fault('ValidationException', 'maxResults must be between 0 and 1000');
    }
    const size = typeof maxResults === 'number' && maxResults > 0 ? maxResults : 100;
    const token = optionalString(body, 'nextToken');
    const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString(), 10);
    if (!Number.isInteger(start) || start < 0) throw fault('InvalidToken', `Invalid Token: '${token}'`);
    const all = [...this.#machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = all.slice(start, start + size);
    return {
      stateMachines: page.map((machine) => ({
        stateMachineArn: machine.stateMachineArn,
        name: machine.name,
        type: machine.type,
        creationDate: machine.creationDate,
      })),
      ...(start + size < all.length ? { nextToken: Buffer.from(String(start + size)).toString('base64url') } : {}),
    };
  }

  #delete(body: Record<string, unknown>): Record<string, unknown> {
    const arn = requireString(body, 'stateMachineArn');
    if (!/^arn:aws[\w-]*:states:/.test(arn)) throw fault('InvalidArn', `Invalid Arn: '${arn}'`);
    this.#machines.delete(arn);
    return {};
  }

  /**
   * ValidateStateMachineDefinition: `result`, the diagnostics at or above `severity` (`ERROR` by default, `WARNING`
   * for both) up to `maxResults` (1 to 100, default 100), and whether more were found.
   */
  #validate(body: Record<string, unknown>): Record<string, unknown> {
    const definition = requireString(body, 'definition');
    checkDefinitionLength(definition);
    const type = machineType(body);
    const severity = optionalString(body, 'severity') ?? 'ERROR';
    if (severity !== 'ERROR' && severity !== 'WARNING') {
      throw fault(
        'ValidationException',
        `1 validation error detected: Value '${severity}' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]`,
      );
    }
    const maxResults = body.maxResults ?? 0;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > 100) {
      throw fault(
        'ValidationException',
        `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`,
      );
    }
    const limit = maxResults === 0 ? 100 : maxResults;
    const { result, diagnostics } = analyzeDefinition(definition, type);
    const shown = diagnostics.filter((diagnostic) => severity === 'WARNING' || diagnostic.severity === 'ERROR');
    return { result, diagnostics: shown.slice(0, limit), truncated: shown.length > limit };
  }

  async #startSync(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const machine = this.#find(body);
    if (machine.type !== 'EXPRESS') {
      throw fault('StateMachineTypeNotSupported', 'This operation is supported only for EXPRESS state machines.');
    }
    const name = optionalString(body, 'name') ?? randomUUID();
    if (!NAME.test(name)) throw fault('InvalidName', `Invalid Name: '${name}'`);
    const rawInput = optionalString(body, 'input') ?? '{}';
    if (Buffer.byteLength(rawInput) > MAX_PAYLOAD_BYTES) {
      throw fault('InvalidExecutionInput', `The input exceeds the maximum of ${MAX_PAYLOAD_BYTES} bytes.`);
    }
    let input: unknown;
    try {
      input = JSON.parse(rawInput);
    } catch (error) {
      // AWS quotes its JSON parser's (Jackson's) message, without the location.
      const reason = jacksonJsonError(rawInput)?.originalMessage ?? (error as Error).message;
      throw fault('InvalidExecutionInput', `Invalid State Machine Execution Input: '${reason}'`);
    }
    if (machine.usesJsonata) {
      // Step Functions runs JSONata states; the emulator's interpreter does not, and says so rather than run them
      // as JSONPath.
      throw fault(
        'InvalidDefinition',
        'The stepwise emulator runs JSONPath states only; this state machine has JSONata states (QueryLanguage)',
      );
    }
    const includedData = optionalString(body, 'includedData') ?? 'ALL_DATA';
    if (includedData !== 'ALL_DATA' && includedData !== 'METADATA_ONLY') {
      throw fault(
        'ValidationException',
        `Value '${includedData}' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]`,
      );
    }
    const metadataOnly = includedData === 'METADATA_ONLY';
    const executionArn = `${machine.stateMachineArn.replace(':stateMachine:', ':express:')}:${name}:${randomUUID()}`;
    const startDate = now();
    const outcome = await executeStateMachine(machine.parsed, input, this.#services, {
      retryDelayMs: this.#options.retryDelayMs,
      timeoutSeconds: this.#options.executionTimeoutSeconds,
      random: this.#options.random,
      fastForwardWaits: this.#options.fastForwardWaits,
      inputText: rawInput,
      definitionText: machine.definition,
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: machine.roleArn },
        StateMachine: { Id: machine.stateMachineArn, Name: machine.name },
      },
    });
    const stopDate = now();
    const base = {
      executionArn,
      stateMachineArn: machine.stateMachineArn,
      name,
      startDate,
      stopDate,
      status: outcome.status,
      ...(metadataOnly ? { inputDetails: { included: false } } : { input: rawInput, inputDetails: { included: true } }),
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(100, Math.ceil(((stopDate - startDate) * 1000) / 100) * 100),
      },
    };
    if (outcome.status === 'SUCCEEDED') {
      return metadataOnly
        ? { ...base, outputDetails: { included: false } }
        : { ...base, output: outcome.output, outputDetails: { included: true } };
    }
    return {
      ...base,
      ...(outcome.error !== undefined ? { error: outcome.error.slice(0, 256) } : {}),
      ...(outcome.cause !== undefined ? { cause: outcome.cause.slice(0, 32_768) } : {}),
    };
  }
}

function ok(body: Record<string, unknown>): SfnReply {
  return { status: 200, body };
}
