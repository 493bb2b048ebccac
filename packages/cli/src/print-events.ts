import type { ChainEndEvent, ChainEvent, ErrorEvent, StepType } from '@stepwise/core';

/**
 * How {@link printEvents} shows a run.
 *
 * @example
 * ```ts
 * const mode: PrintMode = process.stderr.isTTY ? 'tty' : 'plain';
 * ```
 */
export type PrintMode = 'tty' | 'plain' | 'json';

/**
 * Options of {@link printEvents}.
 *
 * @example
 * ```ts
 * await printEvents(events, { mode: 'json', stdout: process.stdout });
 * ```
 */
export interface PrintEventsOptions {
  /**
   * `tty`: a progress line per step (updated in place), colours unless `NO_COLOR`; `plain`: one line per event,
   * for logs and pipes; `json`: every event as one JSON line (NDJSON) on `stdout`. Default: `tty` when `stderr` is a
   * terminal, else `plain`.
   */
  mode?: PrintMode;
  /** Where the answer (and NDJSON) goes. Default `process.stdout`. */
  stdout?: NodeJS.WritableStream;
  /** Where progress goes. Default `process.stderr`. */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Colours in `tty` mode. Default: on unless `NO_COLOR` is set. */
  color?: boolean;
}

/**
 * What {@link printEvents} saw.
 *
 * @example
 * ```ts
 * const { ok, error } = await printEvents(events);
 * if (!ok) console.error(error?.stepId);
 * ```
 */
export interface PrintedRun {
  ok: boolean;
  /** The `chain-end` event of a successful run. */
  end?: ChainEndEvent;
  /** The terminal error of a failed run. */
  error?: ErrorEvent['error'];
}

const MAX_SUMMARY = 90;

function truncate(text: string, max = MAX_SUMMARY): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A model step's output (`{ text, value?, usage }`) shown as its value or text; anything else as compact JSON. */
function brief(output: unknown): string {
  if (output && typeof output === 'object' && !Array.isArray(output) && 'usage' in output && 'text' in output) {
    const model = output as { text: unknown; value?: unknown };
    return JSON.stringify('value' in model ? model.value : model.text);
  }
  return JSON.stringify(output) ?? String(output);
}

function summarise(stepType: StepType, output: unknown): string {
  if (output === null || output === undefined) return 'null';
  const value = output as Record<string, unknown>;
  if (stepType === 'retrieve' && Array.isArray(value.results)) {
    return `${value.results.length} result${value.results.length === 1 ? '' : 's'}`;
  }
  if (stepType === 'map' && Array.isArray(output)) return `${output.length} item${output.length === 1 ? '' : 's'}`;
  if (stepType === 'parallel' && typeof output === 'object') {
    return truncate(
      Object.entries(value)
        .map(([branch, result]) => `${branch}: ${brief(result)}`)
        .join(', '),
    );
  }
  return truncate(brief(output));
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/**
 * Prints a run's events as they come: step progress, then the streamed answer, then a summary line; or every
 * event as NDJSON. The answer goes to `stdout` and progress to `stderr`, so `stepwise run ... > answer.txt` keeps
 * only the answer. Resolves with whether the run succeeded.
 *
 * @example
 * ```ts
 * const { ok } = await printEvents(runtime.stream(chain, input));
 * process.exitCode = ok ? 0 : 1;
 * ```
 */
export async function printEvents(
  events: AsyncIterable<ChainEvent>,
  options: PrintEventsOptions = {},
): Promise<PrintedRun> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const mode: PrintMode = options.mode ?? (stderr.isTTY ? 'tty' : 'plain');
  const useColor = mode === 'tty' && (options.color ?? !process.env.NO_COLOR);
  const paint = (code: string, text: string): string => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
  const open: string[] = [];
  let lastStartLine: string | undefined;
  let textOpen = false;
  let textEndsWithNewline = true;
  const result: PrintedRun = { ok: false };

  const line = (text: string): void => {
    if (textOpen && !textEndsWithNewline) stdout.write('\n');
    textOpen = false;
    textEndsWithNewline = true;
    stderr.write(`${text}\n`);
    lastStartLine = undefined;
  };
  const stepLine = (mark: string, stepId: string, stepType: StepType, rest: string): string => {
    const indent = '  '.repeat(open.length + 1);
    return `${indent}${mark} ${stepId.padEnd(Math.max(18 - indent.length, stepId.length))} ${paint('2', stepType.padEnd(9))}${rest}`;
  };

  for await (const event of events) {
    if (mode === 'json') {
      stdout.write(`${JSON.stringify(event)}\n`);
      if (event.type === 'chain-end') Object.assign(result, { ok: true, end: event });
      if (event.type === 'error') Object.assign(result, { ok: false, error: event.error });
      continue;
    }
    switch (event.type) {
      case 'chain-start':
        line(
          mode === 'tty'
            ? paint('1', `▸ ${event.chain}`) + paint('2', `  run ${event.runId}`)
            : `chain-start ${event.chain} ${event.runId}`,
        );
        break;
      case 'step-start':
        if (mode === 'tty') {
          line(stepLine(paint('36', '●'), event.stepId, event.stepType, ''));
          lastStartLine = event.stepId;
        } else {
          line(`step-start ${event.stepId} ${event.stepType}`);
        }
        open.push(event.stepId);
        break;
      case 'step-end': {
        const index = open.lastIndexOf(event.stepId);
        if (index >= 0) open.splice(index, 1);
        const summary = event.stepType === 'respond' ? '' : `  ${summarise(event.stepType, event.output)}`;
        if (mode === 'tty') {
          const text = stepLine(
            paint('32', '✓'),
            event.stepId,
            event.stepType,
            `${paint('2', formatMs(event.ms).padStart(8))}${summary}`,
          );
          if (lastStartLine === event.stepId && !textOpen) stderr.write('\x1b[1A\r\x1b[2K');
          line(text);
        } else {
          line(`step-end ${event.stepId} ${event.stepType} ${Math.round(event.ms)}ms${summary}`);
        }
        break;
      }
      case 'step-retry':
        line(
          mode === 'tty'
            ? `${'  '.repeat(open.length + 1)}${paint('33', '↻')} ${event.stepId} retry ${event.attempt} after ${event.error.name}`
            : `step-retry ${event.stepId} attempt ${event.attempt} ${event.error.name}`,
        );
        break;
      case 'text-delta':
        textOpen = true;
        lastStartLine = undefined;
        stdout.write(event.delta);
        if (event.delta.length > 0) textEndsWithNewline = event.delta.endsWith('\n');
        break;
      case 'chain-end': {
        result.ok = true;
        result.end = event;
        const tokens = `${event.usage.totalTokens} tokens (in ${event.usage.inputTokens}, out ${event.usage.outputTokens})`;
        const output =
          event.output === null || event.output === undefined
            ? ''
            : `  output ${truncate(JSON.stringify(event.output), 200)}`;
        line(
          mode === 'tty'
            ? `${paint('32', '✓')} done in ${formatMs(event.ms)} · ${tokens}${paint('2', output)}`
            : `chain-end ${Math.round(event.ms)}ms ${tokens}${output}`,
        );
        break;
      }
      case 'error': {
        result.ok = false;
        result.error = event.error;
        const where = event.error.stepId === undefined ? '' : ` at step "${event.error.stepId}"`;
        line(
          mode === 'tty'
            ? `${paint('31', '✗')} ${event.error.name}${where}: ${event.error.message}`
            : `error ${event.error.name}${where}: ${event.error.message}`,
        );
        break;
      }
    }
  }
  if (textOpen && !textEndsWithNewline) stdout.write('\n');
  return result;
}
