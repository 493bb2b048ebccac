import { ModelError } from '../errors/model-error';
import { type GuardModelStreamOptions, guardModelStream } from './guard-model-stream';
import type { ModelStreamPart, ModelUsage, StopReason } from './model-provider';
import { stopReasonOf } from './stop-reason-of';

/** An exception member of the ConverseStream event union, as the SDK exposes it. */
interface StreamException {
  message?: string | undefined;
}

/**
 * One ConverseStream event, in the shape `@aws-sdk/client-bedrock-runtime` yields (`ConverseStreamOutput`):
 * exactly one member is set. Only the members stepwise reads are listed.
 *
 * @example
 * ```ts
 * const event: ConverseStreamEvent = { contentBlockDelta: { delta: { text: 'Hello' }, contentBlockIndex: 0 } };
 * ```
 */
export interface ConverseStreamEvent {
  contentBlockDelta?: { delta?: { text?: string | undefined } | undefined } | undefined;
  messageStop?: { stopReason?: string | undefined } | undefined;
  metadata?:
    | { usage?: { inputTokens?: number | undefined; outputTokens?: number | undefined } | undefined }
    | undefined;
  internalServerException?: StreamException | undefined;
  modelStreamErrorException?: StreamException | undefined;
  validationException?: StreamException | undefined;
  throttlingException?: StreamException | undefined;
  serviceUnavailableException?: StreamException | undefined;
}

const EXCEPTIONS = [
  ['internalServerException', 'InternalServerException', 500],
  ['modelStreamErrorException', 'ModelStreamErrorException', 424],
  ['validationException', 'ValidationException', 400],
  ['throttlingException', 'ThrottlingException', 429],
  ['serviceUnavailableException', 'ServiceUnavailableException', 503],
] as const;

async function* decode(
  events: AsyncIterable<ConverseStreamEvent> | Iterable<ConverseStreamEvent>,
): AsyncGenerator<ModelStreamPart> {
  let stopReason: StopReason | undefined;
  let usage: ModelUsage | undefined;
  for await (const event of events) {
    const text = event.contentBlockDelta?.delta?.text;
    if (text) {
      yield { type: 'text-delta', delta: text };
      continue;
    }
    if (event.messageStop) stopReason = stopReasonOf(event.messageStop.stopReason);
    if (event.metadata) {
      const tokens = event.metadata.usage;
      usage = { inputTokens: tokens?.inputTokens ?? 0, outputTokens: tokens?.outputTokens ?? 0 };
    }
    for (const [member, name, statusCode] of EXCEPTIONS) {
      const failure = event[member];
      if (failure) {
        throw new ModelError(failure.message || `Bedrock failed the stream with ${name}.`, {
          error: `Bedrock.${name}`,
          statusCode,
          cause: failure,
        });
      }
    }
    if (stopReason !== undefined && usage !== undefined) {
      yield { type: 'finish', usage, stopReason };
      return;
    }
  }
}

/**
 * Reads a Bedrock ConverseStream (the `stream` of a `ConverseStreamCommand` output) into model stream parts: a
 * `text-delta` per `contentBlockDelta`, then one `finish` once both `messageStop` (the stop reason) and `metadata`
 * (the usage) have arrived. The one reader of ConverseStream events in stepwise: `bedrockModels` and the SFN
 * runtime's `respond` use it, so a cut stream means the same thing on both runtimes.
 *
 * A stream that ends before `messageStop` and `metadata` (the SDK's iterator ends quietly when the connection drops
 * between two events) fails with `Bedrock.ModelStreamErrorException`, as does a transport failure mid-stream;
 * an in-stream exception keeps its own name (`Bedrock.ThrottlingException`, ...). See {@link guardModelStream}.
 *
 * @example
 * ```ts
 * const output = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
 * for await (const part of decodeConverseStream(output.stream ?? [], { signal })) {
 *   if (part.type === 'text-delta') process.stdout.write(part.delta);
 *   else console.log(part.usage, part.stopReason);
 * }
 * ```
 */
export function decodeConverseStream(
  events: AsyncIterable<ConverseStreamEvent> | Iterable<ConverseStreamEvent>,
  options: GuardModelStreamOptions = {},
): AsyncGenerator<ModelStreamPart, void, undefined> {
  return guardModelStream(decode(events), options);
}
