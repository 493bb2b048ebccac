import { describe, expect, it } from 'vitest';
import { analyzeDefinition, invalidDefinitionMessage, validateDefinition } from './validate-definition';

type Json = Record<string, unknown>;

/** A machine of one state `A` (plus `extra` states), `A` ending the machine unless it says otherwise. */
function machine(state: Json, extra: Json = {}): Json {
  return { StartAt: 'A', States: { A: { End: true, ...state }, ...extra } };
}

/** A machine whose Pass state `A` carries `Parameters`. */
function withParameters(parameters: Json): Json {
  return machine({ Type: 'Pass', Parameters: parameters });
}

function diagnostics(definition: Json | string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') {
  return validateDefinition(definition, { type }).diagnostics;
}

function error(message: string, location: string, code = 'SCHEMA_VALIDATION_FAILED') {
  return { severity: 'ERROR', code, message, location };
}

const INVALID_FIELD = (key: string) =>
  `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`;

describe('validateDefinition: the machine', () => {
  it('accepts a valid definition, as text or as an object', () => {
    const definition = machine({ Type: 'Pass', Result: { a: 1 } });
    expect(validateDefinition(definition)).toEqual({ result: 'OK', diagnostics: [] });
    expect(validateDefinition(JSON.stringify(definition))).toEqual({ result: 'OK', diagnostics: [] });
  });

  it('requires StartAt and States, at /', () => {
    expect(diagnostics({ StartAt: 'A' })).toEqual([error('These fields are required: [States]', '/')]);
    expect(diagnostics({ States: { A: { Type: 'Pass', End: true } } })).toEqual([
      error('These fields are required: [StartAt]', '/'),
    ]);
  });

  it('names both missing fields as AWS orders them: States first, then StartAt', () => {
    expect(diagnostics({})).toEqual([error('These fields are required: [States, StartAt]', '/')]);
    expect(diagnostics(machine({ Type: 'Parallel', Branches: [{}] }))).toEqual([
      error('These fields are required: [States, StartAt]', '/States/A/Branches[0]'),
    ]);
  });

  it('refuses blank text and JSON that is not an object as not a JSON object, with no location', () => {
    const notAnObject = {
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      message: 'Definition must be a valid JSON object',
    };
    for (const text of [' ', '\n\t ', '[]', 'null', '"StartAt"']) {
      expect(validateDefinition(text)).toEqual({ result: 'FAIL', diagnostics: [notAnObject] });
    }
    expect(invalidDefinitionMessage(analyzeDefinition(' '), ' ')).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at null'",
    );
  });

  it('refuses fields the ASL does not define', () => {
    expect(diagnostics({ ...machine({ Type: 'Pass' }), Extra: 1 })).toEqual([
      error("Field 'Extra' is not supported", '/'),
    ]);
  });

  it('reports text that is not JSON with Jackson’s message and location (AWS: INVALID_JSON_DESCRIPTION)', () => {
    expect(validateDefinition('not a definition')).toEqual({
      result: 'FAIL',
      diagnostics: [
        {
          severity: 'ERROR',
          code: 'INVALID_JSON_DESCRIPTION',
          message:
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]",
          location: '[Source: (String)"not a definition"; line: 1, column: 4]',
        },
      ],
    });
  });

  it('refuses a definition over 1 MiB', () => {
    const big = JSON.stringify(machine({ Type: 'Pass', Result: 'x'.repeat(1_048_576) }));
    expect(validateDefinition(big)).toMatchObject({ result: 'FAIL', diagnostics: [{ code: 'DEFINITION_TOO_LARGE' }] });
  });
});

describe('validateDefinition: states and transitions', () => {
  it('requires a Type, and refuses fields a state type does not support, at the state', () => {
    expect(diagnostics(machine({ Type: undefined }))).toEqual([
      error('These fields are required: [Type]', '/States/A'),
    ]);
    expect(diagnostics(machine({ Type: 'Pass', TimeoutSeconds: 5 }))).toEqual([
      error("Field 'TimeoutSeconds' is not supported", '/States/A'),
    ]);
    expect(diagnostics(machine({ Type: 'Wait', Seconds: 1, Retry: [{ ErrorEquals: ['States.ALL'] }] }))).toEqual([
      error("Field 'Retry' is not supported", '/States/A'),
    ]);
    expect(diagnostics(machine({ Type: 'Nope' }))).toEqual([
      error(
        'Value should be one of the following: [Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map]',
        '/States/A/Type',
      ),
    ]);
  });

  it('requires exactly one of Next and End', () => {
    expect(diagnostics(machine({ Type: 'Pass', Next: 'A' }))).toEqual([
      error('There should only be one of the following fields: [Next, End]', '/States/A'),
    ]);
    expect(diagnostics({ StartAt: 'A', States: { A: { Type: 'Pass' } } })).toEqual([
      error('This object should have only one of the following fields: [Next, End]', '/States/A'),
    ]);
  });

  it('reports a transition to no state at the transition, and a state nothing leads to', () => {
    expect(
      diagnostics({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nope' }, B: { Type: 'Succeed' } } }),
    ).toEqual([
      error("Missing 'Next' target: Nope", '/States/A/Next', 'MISSING_TRANSITION_TARGET'),
      error('State "B" is not reachable.', '/States/B', 'MISSING_TRANSITION_TARGET'),
    ]);
    expect(diagnostics({ StartAt: 'Nope', States: { A: { Type: 'Succeed' } } })).toEqual([
      error("Missing 'Next' target: Nope", '/StartAt', 'MISSING_TRANSITION_TARGET'),
      error('State "A" is not reachable.', '/States/A', 'MISSING_TRANSITION_TARGET'),
    ]);
    const catcher = machine({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Gone' }],
    });
    expect(diagnostics(catcher)).toEqual([
      error("Missing 'Next' target: Gone", '/States/A/Catch[0]/Next', 'MISSING_TRANSITION_TARGET'),
    ]);
  });

  it('reports a machine with no terminal state without a location, and then nothing about reachability', () => {
    const loop = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } };
    const result = analyzeDefinition(JSON.stringify(loop));
    expect(result.diagnostics).toEqual([
      { severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' },
    ]);
    expect(invalidDefinitionMessage(result, '')).toBe(
      "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'",
    );
  });

  it('checks the graph only once the schema holds', () => {
    expect(diagnostics({ States: { A: { Type: 'Pass', End: true } } })).toEqual([
      error('These fields are required: [StartAt]', '/'),
    ]);
  });

  it('wants state names unique across the whole machine and at most 80 characters long', () => {
    const parallel = machine({
      Type: 'Parallel',
      Branches: [{ StartAt: 'A', States: { A: { Type: 'Succeed' } } }],
    });
    expect(diagnostics(parallel)).toEqual([
      error('Duplicate State name: A', '/States/A/Branches[0]/States/A', 'DUPLICATE_STATE_NAME'),
    ]);
    const long = 'x'.repeat(81);
    expect(diagnostics({ StartAt: long, States: { [long]: { Type: 'Succeed' } } })).toEqual([
      error(
        `Invalid State name: State '${long}' exceeds the 80-character limit allowed by the service`,
        `/States/${long}`,
        'INVALID_STATE_NAME',
      ),
    ]);
  });

  it('locates problems inside Parallel branches and Map processors by their path', () => {
    const map = machine({
      Type: 'Map',
      ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Pass', End: true }, Ghost: { Type: 'Pass', End: true } } },
    });
    expect(diagnostics(map)).toEqual([
      error('State "Ghost" is not reachable.', '/States/A/ItemProcessor/States/Ghost', 'MISSING_TRANSITION_TARGET'),
    ]);
    const branch = machine({
      Type: 'Parallel',
      Branches: [{ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }],
    });
    expect(diagnostics(branch)).toEqual([error("Field 'QueryLanguage' is not supported", '/States/A/Branches[0]')]);
  });
});

describe('validateDefinition: state types', () => {
  it('Task: requires a Resource ARN; TimeoutSeconds a positive integer', () => {
    expect(diagnostics(machine({ Type: 'Task' }))).toEqual([
      error('These fields are required: [Resource]', '/States/A'),
    ]);
    expect(
      diagnostics(machine({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 0 })),
    ).toEqual([error('Minimum value is 1', '/States/A/TimeoutSeconds')]);
    expect(
      diagnostics(
        machine({
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          TimeoutSeconds: 5,
          TimeoutSecondsPath: '$.t',
        }),
      ),
    ).toEqual([
      error('There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]', '/States/A'),
    ]);
  });

  it('Wait: exactly one of Seconds, SecondsPath, Timestamp and TimestampPath; timestamps in RFC 3339', () => {
    expect(diagnostics(machine({ Type: 'Wait' }))).toEqual([
      error(
        'This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]',
        '/States/A',
      ),
    ]);
    expect(diagnostics(machine({ Type: 'Wait', Seconds: 1, SecondsPath: '$.s' }))).toEqual([
      error(
        'There should only be one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]',
        '/States/A',
      ),
    ]);
    expect(diagnostics(machine({ Type: 'Wait', Timestamp: '2016-12-05 21:29:29Z' }))).toEqual([
      error('String does not match RFC3339 timestamp', '/States/A/Timestamp'),
    ]);
    expect(diagnostics(machine({ Type: 'Wait', Timestamp: '2016-12-05T21:29:29Z' }))).toEqual([]);
  });

  it('Fail: Error and ErrorPath, Cause and CausePath exclude each other; paths may be intrinsic calls', () => {
    expect(diagnostics(machine({ Type: 'Fail', End: undefined, Error: 'E', ErrorPath: '$.e' }))).toEqual([
      error('There should only be one of the following fields: [Error, ErrorPath]', '/States/A'),
    ]);
    expect(
      diagnostics(machine({ Type: 'Fail', End: undefined, ErrorPath: '$.e', CausePath: "States.Format('x {}', $.c)" })),
    ).toEqual([]);
    expect(diagnostics(machine({ Type: 'Fail', End: undefined, Cause: 'fine' }))).toEqual([]);
  });

  it('Choice: non-empty rules with one Variable and one comparison, Next only at the top, Reference Path variables', () => {
    const choice = (choices: unknown[]) => ({
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: choices, Default: 'D' }, D: { Type: 'Succeed' } },
    });
    expect(diagnostics(choice([]))).toEqual([error('Value cannot be empty', '/States/C/Choices')]);
    expect(diagnostics(choice([{ Variable: '$.x', IsPresent: true }]))).toEqual([
      error('These fields are required: [Next]', '/States/C/Choices[0]'),
    ]);
    expect(diagnostics(choice([{ Variable: '$.x', IsPresent: true, BooleanEquals: true, Next: 'D' }]))).toEqual([
      error('There should only be one of the following fields: [IsPresent, BooleanEquals]', '/States/C/Choices[0]'),
    ]);
    expect(diagnostics(choice([{ Not: { Variable: '$.x', IsNull: true, Next: 'D' }, Next: 'D' }]))).toEqual([
      error("Field 'Next' is not supported", '/States/C/Choices[0]/Not'),
    ]);
    expect(diagnostics(choice([{ Variable: 'x', IsNull: true, Next: 'D' }]))).toEqual([
      error("Value is not a Reference Path: Reference path didn't start with '$'", '/States/C/Choices[0]/Variable'),
    ]);
    expect(diagnostics(choice([{ Variable: '$.x', TimestampEquals: '2020-01-01', Next: 'D' }]))).toEqual([
      error('String does not match RFC3339 timestamp', '/States/C/Choices[0]/TimestampEquals'),
    ]);
    expect(
      diagnostics(
        choice([
          {
            And: [
              { Variable: '$.a', NumericGreaterThan: 1 },
              { Variable: '$.b', StringMatches: 'x*' },
            ],
            Next: 'D',
          },
        ]),
      ),
    ).toEqual([]);
  });

  it('Retry and Catch: ErrorEquals required, States.ALL alone and in the last retrier or catcher', () => {
    const task = (fields: Json) =>
      machine({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ...fields }, { D: { Type: 'Succeed' } });
    expect(diagnostics(task({ Retry: [{ MaxAttempts: 2 }] }))).toEqual([
      error('These fields are required: [ErrorEquals]', '/States/A/Retry[0]'),
    ]);
    expect(diagnostics(task({ Retry: [{ ErrorEquals: ['States.ALL', 'States.Timeout'] }] }))).toEqual([
      error("'States.ALL' must appear alone in ErrorEquals", '/States/A/Retry[0]/ErrorEquals'),
    ]);
    expect(
      diagnostics(task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['States.Timeout'] }] })),
    ).toEqual([error("A retrier with 'States.ALL' must be the last retrier", '/States/A/Retry[0]')]);
    expect(
      diagnostics(
        task({
          Catch: [
            { ErrorEquals: ['States.ALL'], Next: 'D' },
            { ErrorEquals: ['X'], Next: 'D' },
          ],
        }),
      ),
    ).toEqual([error("A catcher with 'States.ALL' must be the last catcher", '/States/A/Catch[0]')]);
    expect(diagnostics(task({ Catch: [{ ErrorEquals: ['States.ALL'] }] }))).toEqual([
      error('These fields are required: [Next]', '/States/A/Catch[0]'),
    ]);
    expect(diagnostics(task({ Retry: [{ ErrorEquals: ['X'], BackoffRate: 0.5, JitterStrategy: 'SOME' }] }))).toEqual([
      error('Minimum value is 1.0', '/States/A/Retry[0]/BackoffRate'),
      error('Value should be one of the following: [FULL, NONE]', '/States/A/Retry[0]/JitterStrategy'),
    ]);
  });

  it('Map: one of ItemProcessor and Iterator, a known processor mode, a non-negative MaxConcurrency', () => {
    const processor = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    expect(diagnostics(machine({ Type: 'Map' }))).toEqual([
      error('This object should have only one of the following fields: [ItemProcessor, Iterator]', '/States/A'),
    ]);
    expect(
      diagnostics(machine({ Type: 'Map', ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'DISTRIBUTED' } } })),
    ).toEqual([error('These fields are required: [ExecutionType]', '/States/A/ItemProcessor/ProcessorConfig')]);
    expect(
      diagnostics(machine({ Type: 'Map', ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'FAST' } } })),
    ).toEqual([
      error(
        'Value should be one of the following: [INLINE, DISTRIBUTED]',
        '/States/A/ItemProcessor/ProcessorConfig/Mode',
      ),
    ]);
    expect(diagnostics(machine({ Type: 'Map', Iterator: processor, MaxConcurrency: -1 }))).toEqual([
      error('Minimum value is 0', '/States/A/MaxConcurrency'),
    ]);
  });

  it('Map: a Label that is empty, longer than 40 characters or holds an invalid character is refused', () => {
    const labelled = (Label: string) =>
      machine({ Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, Label });
    expect(diagnostics(labelled(''))).toEqual([error('Label cannot be empty', '/States/A/Label')]);
    expect(diagnostics(labelled('x'.repeat(41)))).toEqual([
      error('Label cannot exceed 40 characters', '/States/A/Label'),
    ]);
    expect(diagnostics(labelled('a|b'))).toEqual([error("Label contains invalid character: '|'", '/States/A/Label')]);
    expect(diagnostics(labelled('x'.repeat(40)))).toEqual([]);
    const text = JSON.stringify(labelled('a b'));
    expect(invalidDefinitionMessage(analyzeDefinition(text), text)).toBe(
      `Error=ValueError Args=["Label contains invalid character: ' '"] in definition '${text}'.`,
    );
  });
});

describe('validateDefinition: paths and intrinsic functions', () => {
  it('wants Path fields to be JSONPaths and ResultPath a Reference Path', () => {
    expect(diagnostics(machine({ Type: 'Pass', OutputPath: 'Test' }))).toEqual([
      error('Value must be a valid JSONPath.', '/States/A/OutputPath'),
    ]);
    expect(diagnostics(machine({ Type: 'Pass', InputPath: '$.items[?(@.ok == true)]', OutputPath: null }))).toEqual([]);
    expect(diagnostics(machine({ Type: 'Pass', ResultPath: '$.items[*]' }))).toEqual([
      error('Value is not a Reference Path', '/States/A/ResultPath'),
    ]);
    expect(diagnostics(machine({ Type: 'Pass', ResultPath: null, InputPath: '$$.Execution.Input' }))).toEqual([]);
  });

  it('wants every ".$" field, at any depth, to be a JSONPath or an intrinsic call, located at its object', () => {
    expect(diagnostics(withParameters({ 'a.$': 'not a path' }))).toEqual([
      error(INVALID_FIELD('a.$'), '/States/A/Parameters'),
    ]);
    expect(diagnostics(withParameters({ Body: { messages: [{ 'content.$': 'States.Nope()' }] } }))).toEqual([
      error(INVALID_FIELD('content.$'), '/States/A/Parameters/Body/messages[0]'),
    ]);
    expect(
      diagnostics(
        withParameters({
          'input.$': '$',
          'item.$': '$$.Map.Item.Value',
          'variable.$': '$counter.total',
          'count.$': '$.items.length()',
          'first.$': '$.items[0].name',
        }),
      ),
    ).toEqual([]);
  });

  it("accepts only the escapes \\' \\{ \\} \\\\ in intrinsic string literals, as AWS does", () => {
    expect(
      diagnostics(withParameters({ 'parsed.$': `States.StringToJson('{"text":"An \\"escaped\\" quote"}')` })),
    ).toEqual([error(INVALID_FIELD('parsed.$'), '/States/A/Parameters')]);
    expect(diagnostics(withParameters({ 'line.$': "States.Format('a\\nb {}', $.x)" }))).toEqual([
      error(INVALID_FIELD('line.$'), '/States/A/Parameters'),
    ]);
    expect(
      diagnostics(
        withParameters({
          'quoted.$': "States.Format('it\\'s \\{literal\\} {} C:\\\\dir\\\\', $.x)",
          'backslash.$': "States.StringSplit('a\\\\b', '\\\\')",
          'quotes.$': `States.Format('He said, "Hello, {}!"', $.name)`,
        }),
      ),
    ).toEqual([]);
  });

  it('allows at most 10 intrinsic function calls in one field, nested calls counted', () => {
    // AWS's own example: nine calls in one field.
    const nine =
      "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
    const nest = (calls: number) => {
      let text = '$.x';
      for (let index = 0; index < calls; index++) text = `States.JsonToString(${text})`;
      return text;
    };
    expect(diagnostics(withParameters({ 'myArn.$': nine, 'ten.$': nest(10) }))).toEqual([]);
    expect(diagnostics(withParameters({ 'eleven.$': nest(11) }))).toEqual([
      error(
        "The value for the field 'eleven.$' must not contain more than 10 intrinsic function calls (it contains 11)",
        '/States/A/Parameters',
      ),
    ]);
    const flat = `States.Array(${Array.from({ length: 11 }, () => 'States.UUID()').join(', ')})`;
    expect(diagnostics(withParameters({ 'wide.$': flat }))).toHaveLength(1);
  });

  it('accepts plain strings with newlines, stop sequences like "\\n\\nHuman:" and JSONata-looking text', () => {
    const body = {
      prompt: 'line one\nline two',
      stop_sequences: ['\n\nHuman:', '{% not an expression %}', '$.not.a.path'],
      'content.$': "States.Format('Question:\n{}\n\nAnswer:', $.q)",
    };
    expect(diagnostics(withParameters({ Body: body }))).toEqual([]);
  });
});

describe('validateDefinition: machine types and query languages', () => {
  const task = (Resource: string) => machine({ Type: 'Task', Resource });

  it('refuses activities, .sync and .waitForTaskToken in EXPRESS machines only', () => {
    expect(diagnostics(task('arn:aws:states:::sns:publish.waitForTaskToken'), 'EXPRESS')).toEqual([
      error("Express state machine does not support '.waitForTaskToken' service integration ", '/States/A/Resource'),
    ]);
    expect(diagnostics(task('arn:aws:states:::states:startExecution.sync:2'), 'EXPRESS')).toEqual([
      error("Express state machine does not support '.sync' service integration", '/States/A/Resource'),
    ]);
    expect(diagnostics(task('arn:aws:states:us-east-1:111111111111:activity:a'), 'EXPRESS')).toEqual([
      error('Express state machine does not support Activity ARN', '/States/A/Resource'),
    ]);
    expect(diagnostics(task('arn:aws:states:::states:startExecution.sync'), 'STANDARD')).toEqual([]);
    expect(diagnostics(task('arn:aws:states:::bedrock:invokeModel'), 'EXPRESS')).toEqual([]);
  });

  it('refuses a JSONPath state in a JSONata machine, and fields of the other query language', () => {
    expect(
      diagnostics({
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: { P: { Type: 'Pass', End: true, QueryLanguage: 'JSONPath' } },
      }),
    ).toEqual([
      error("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", '/States/P'),
    ]);
    expect(diagnostics(machine({ Type: 'Pass', Output: { a: 1 } }))).toEqual([
      error(
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
        '/States/A',
      ),
    ]);
    expect(diagnostics({ ...machine({ Type: 'Pass', InputPath: '$.a' }), QueryLanguage: 'JSONata' })).toEqual([
      error(
        "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage",
        '/States/A',
      ),
    ]);
  });

  it('accepts a JSONata machine, checking its fields but not its expressions', () => {
    const jsonata = {
      QueryLanguage: 'JSONata',
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: '{% $states.input.delay %}', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.ok %}', Next: 'P' }], Default: 'P' },
        P: { Type: 'Pass', Output: { v: '{% 1 + 1 %}' }, End: true },
      },
    };
    expect(analyzeDefinition(JSON.stringify(jsonata))).toMatchObject({ result: 'OK', usesJsonata: true });
  });
});

describe('invalidDefinitionMessage', () => {
  it('joins the errors as CreateStateMachine words them', () => {
    const text = JSON.stringify({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'Nope' }, B: { Type: 'Succeed' } },
    });
    expect(invalidDefinitionMessage(analyzeDefinition(text), text)).toBe(
      `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next, MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B'`,
    );
  });
});
