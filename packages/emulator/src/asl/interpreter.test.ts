import { describe, expect, it } from 'vitest';
import { fastForwardClock } from './clock';
import { type InvokeTask, runStateMachine } from './interpreter';
import { parseJson } from './json/java-json';

type Definition = Record<string, unknown>;
const pass = (extra: Record<string, unknown> = {}) => ({ Type: 'Pass', End: true, ...extra });
const machine = (States: Record<string, unknown>, StartAt = Object.keys(States)[0]): Definition => ({
  StartAt,
  States,
});

function failingTask(errors: { name: string; message: string }[], result: unknown = { ok: true }): InvokeTask {
  let call = 0;
  return async () => {
    const error = errors[call++];
    if (error) throw Object.assign(new Error(error.message), { name: error.name });
    return result;
  };
}

describe('runStateMachine', () => {
  it('processes input and output: InputPath, Parameters, ResultSelector, ResultPath into the raw input, OutputPath', async () => {
    const outcome = await runStateMachine(
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          InputPath: '$.in',
          Parameters: { 'q.$': '$.q', fixed: 1 },
          ResultSelector: { 'answer.$': '$.Payload' },
          ResultPath: '$.out',
          OutputPath: '$.out',
          End: true,
        },
      }),
      { in: { q: 'why' }, keep: true },
      { invokeTask: async ({ parameters }) => ({ Payload: parameters }) },
    );
    expect(outcome).toEqual({ status: 'SUCCEEDED', output: '{"answer":{"q":"why","fixed":1}}' });
  });

  it('a Fail state without Error or Cause fails the execution with neither', async () => {
    const outcome = await runStateMachine(machine({ F: { Type: 'Fail' } }), {});
    expect(outcome).toMatchObject({ status: 'FAILED', error: undefined, cause: undefined });
  });

  it('names the state and its entry event id in a States.Runtime cause (ExecutionStarted is #1)', async () => {
    const outcome = await runStateMachine(
      machine({ A: pass({ End: undefined, Next: 'B' }), B: pass({ Parameters: { 'v.$': '$.missing' } }) }),
      { x: 1 },
    );
    expect(outcome).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'B' (entered at the event id #4). The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input '{\"x\":1}'",
    });
  });

  it('States.Runtime is neither retried nor caught, not even by States.ALL', async () => {
    const outcome = await runStateMachine(
      machine({
        P: {
          Type: 'Parallel',
          Branches: [machine({ Inner: pass({ Parameters: { 'v.$': '$.missing' } }) })],
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: pass(),
      }),
      {},
      { retryDelayMs: 0 },
    );
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect((outcome as { cause: string }).cause).toContain("executing the state 'Inner'");
  });

  it('a result over 256 KiB is States.DataLimitExceeded, which States.ALL does not catch', async () => {
    const outcome = await runStateMachine(
      machine({
        P: {
          Type: 'Parallel',
          Branches: [machine({ Big: pass({ Result: { a: 'a'.repeat(262_144) } }) })],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: pass(),
      }),
      {},
    );
    expect(outcome).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: "The state/task 'Big' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
  });

  it('retries with the retrier that matches, counts $$.State.RetryCount, then catches into ResultPath', async () => {
    const seen: unknown[] = [];
    const outcome = await runStateMachine(
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'retry.$': '$$.State.RetryCount' },
          Retry: [
            { ErrorEquals: ['Other'], MaxAttempts: 5 },
            { ErrorEquals: ['Boom'], MaxAttempts: 1 },
          ],
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Caught' }],
          End: true,
        },
        Caught: pass(),
      }),
      { keep: 1 },
      {
        retryDelayMs: 0,
        invokeTask: async ({ parameters }) => {
          seen.push(parameters);
          throw Object.assign(new Error('it broke'), { name: 'Boom' });
        },
      },
    );
    expect(seen).toEqual([{ retry: 0 }, { retry: 1 }]);
    expect(outcome).toEqual({
      status: 'SUCCEEDED',
      output: '{"keep":1,"error":{"Error":"Boom","Cause":"it broke"}}',
    });
  });

  it('States.TaskFailed matches any error but States.Timeout; a Task past TimeoutSeconds fails with States.Timeout', async () => {
    const outcome = await runStateMachine(
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          TimeoutSeconds: 1,
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
          End: true,
        },
        Caught: pass(),
      }),
      {},
      {
        invokeTask: ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    );
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('a task failure keeps its name and cause and is retried after the backoff', async () => {
    const outcome = await runStateMachine(
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
          End: true,
        },
      }),
      {},
      {
        clock: fastForwardClock(),
        invokeTask: failingTask([
          { name: 'Lambda.Unknown', message: 'a' },
          { name: 'Lambda.Unknown', message: 'b' },
        ]),
      },
    );
    expect(outcome).toEqual({ status: 'SUCCEEDED', output: '{"ok":true}' });
  });

  it('fast-forwards Waits, and a Wait past Express five minutes times the execution out', async () => {
    const started = Date.now();
    const short = await runStateMachine(
      machine({ W: { Type: 'Wait', Seconds: 240, End: true } }),
      { a: 1 },
      {
        clock: fastForwardClock(),
      },
    );
    expect(short).toEqual({ status: 'SUCCEEDED', output: '{"a":1}' });
    const long = await runStateMachine(
      machine({ W: { Type: 'Wait', Seconds: 301, End: true } }),
      {},
      {
        clock: fastForwardClock(),
      },
    );
    expect(long).toEqual({
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'Execution timed out after 300 seconds.',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('Wait SecondsPath must be an integer and TimestampPath an ISO-8601 date-time with an offset', async () => {
    const seconds = await runStateMachine(machine({ W: { Type: 'Wait', SecondsPath: '$.s', End: true } }), { s: 1.5 });
    expect(seconds).toMatchObject({
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5",
    });
    const timestamp = await runStateMachine(machine({ W: { Type: 'Wait', TimestampPath: '$.t', End: true } }), {
      t: '2016-12-05T21:29:29',
    });
    expect(timestamp).toMatchObject({
      error: 'States.Runtime',
      cause: expect.stringContaining(
        'The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 2016-12-05T21:29:29',
      ),
    });
  });

  it('runs Map iterations with $$.Map.Item, ItemSelector and MaxConcurrency, in order', async () => {
    let running = 0;
    let peak = 0;
    const outcome = await runStateMachine(
      machine({
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value', 'tag.$': '$.tag' },
          ItemProcessor: {
            StartAt: 'Work',
            States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
          },
          End: true,
        },
      }),
      { items: ['a', 'b', 'c', 'd'], tag: 't' },
      {
        invokeTask: async ({ parameters }) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
          return parameters;
        },
      },
    );
    expect(JSON.parse((outcome as { output: string }).output)).toEqual([
      { index: 0, value: 'a', tag: 't' },
      { index: 1, value: 'b', tag: 't' },
      { index: 2, value: 'c', tag: 't' },
      { index: 3, value: 'd', tag: 't' },
    ]);
    expect(peak).toBe(2);
  });

  it('tolerates Map failures up to ToleratedFailureCount, then fails with States.ExceedToleratedFailureThreshold', async () => {
    const definition = (count: number) =>
      machine({
        M: {
          Type: 'Map',
          ToleratedFailureCount: count,
          ItemProcessor: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } },
          End: true,
        },
      });
    expect(await runStateMachine(definition(2), [1, 2])).toEqual({ status: 'SUCCEEDED', output: '[null,null]' });
    expect(await runStateMachine(definition(1), [1, 2])).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
    });
  });

  it('a ToleratedFailurePercentagePath that selects no number is a States.Runtime that asks for a float', async () => {
    const definition = machine({
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        ToleratedFailurePercentagePath: '$.pct',
        ItemProcessor: { StartAt: 'P', States: { P: pass() } },
        End: true,
      },
    });
    const prefix = "An error occurred while executing the state 'M' (entered at the event id #2). ";
    expect(await runStateMachine(definition, { items: [1], pct: 'lots' })).toMatchObject({
      error: 'States.Runtime',
      cause: `${prefix}The ToleratedFailurePercentagePath field refers to value "lots" which is not a valid float: $.pct`,
    });
    expect(await runStateMachine(definition, { items: [1], pct: { a: 1 } })).toMatchObject({
      cause: `${prefix}The ToleratedFailurePercentagePath field refers to value "{"a":1}" which is not a valid float: $.pct`,
    });
    expect(await runStateMachine(definition, { items: [1], pct: 100.5 })).toMatchObject({
      cause: `${prefix}ToleratedFailurePercentage must be between 0 and 100.`,
    });
    expect(await runStateMachine(definition, { items: [1], pct: 2.5 })).toEqual({ status: 'SUCCEEDED', output: '[1]' });
  });

  it('Parallel yields each branch output; a failing branch fails the state with its error', async () => {
    const ok = await runStateMachine(
      machine({
        P: { Type: 'Parallel', Branches: [machine({ A: pass({ Result: 1 }) }), machine({ B: pass() })], End: true },
      }),
      { x: 1 },
    );
    expect(ok).toEqual({ status: 'SUCCEEDED', output: '[1,{"x":1}]' });
    const failed = await runStateMachine(
      machine({
        P: {
          Type: 'Parallel',
          Branches: [machine({ F: { Type: 'Fail', Error: 'Branch', Cause: 'why' } })],
          Catch: [{ ErrorEquals: ['Branch'], Next: 'C' }],
          End: true,
        },
        C: pass(),
      }),
      {},
    );
    expect(failed).toEqual({ status: 'SUCCEEDED', output: '{"Error":"Branch","Cause":"why"}' });
  });

  it('assigns variables after the output is computed, scoped to Map iterations and Parallel branches', async () => {
    const outcome = await runStateMachine(
      machine({
        Set: pass({ End: undefined, Next: 'Use', Assign: { answer: 42, 'from.$': '$.v' } }),
        Use: pass({ OutputPath: '$answer', Assign: { answer: 'later' } }),
      }),
      { v: 'input' },
    );
    expect(outcome).toEqual({ status: 'SUCCEEDED', output: '42' });
  });

  it('prints numbers as Java: a 1.0 in the input stays 1.0 in the output', async () => {
    const outcome = await runStateMachine(machine({ A: pass() }), parseJson('{"a":1.0,"b":12345678901234567890}'));
    expect(outcome).toEqual({ status: 'SUCCEEDED', output: '{"a":1.0,"b":12345678901234567890}' });
  });

  it('a Choice with no matching rule and no Default fails with States.NoChoiceMatched', async () => {
    const outcome = await runStateMachine(
      machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'D' }] }, D: pass() }),
      { a: 2 },
    );
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });
});
