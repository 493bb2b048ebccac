import { AbortedError, type ChainEvent } from '@stepwise/core';
import { createParser } from 'eventsource-parser';
import { createChainEventDecoder } from './create-chain-event-decoder';
import type { UiMessageChunk } from './ui-message-chunk';

/**
 * Parses the bytes of a stepwise SSE stream (AI SDK UI message stream protocol v1) into `ChainEvent`s, whatever
 * the chunking (UTF-8 is decoded across chunk boundaries). A stream that ends before `chain-end` or `error` ends with
 * an `error` event named `StreamInterruptedError`; aborting `signal` throws `AbortedError`.
 *
 * @example
 * ```ts
 * const response = await fetch(`${base}/v1/chains/qa/stream`, { method: 'POST', headers, body });
 * for await (const event of parseChainEventStream(response.body!)) console.log(event.type);
 * ```
 */
export async function* parseChainEventStream(
  stream: ReadableStream<Uint8Array>,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<ChainEvent, void, undefined> {
  const decoder = createChainEventDecoder();
  const queue: ChainEvent[] = [];
  let ended = false;
  let malformed: string | undefined;
  const parser = createParser({
    onEvent(message) {
      if (ended || malformed !== undefined) return;
      if (message.data === '[DONE]') {
        ended = true;
        return;
      }
      let part: UiMessageChunk;
      try {
        part = JSON.parse(message.data) as UiMessageChunk;
      } catch {
        malformed = 'The stream carried a part that is not JSON.';
        return;
      }
      for (const event of decoder.decode(part)) {
        queue.push(event);
        if (event.type === 'chain-end' || event.type === 'error') ended = true;
      }
    },
  });
  const text = new TextDecoder();
  const reader = stream.getReader();
  let terminal = false;
  try {
    while (true) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (options.signal?.aborted) throw new AbortedError('The stream was aborted.', { cause: error });
        break;
      }
      parser.feed(chunk.done ? text.decode() : text.decode(chunk.value, { stream: true }));
      while (queue.length > 0) {
        const event = queue.shift()!;
        if (event.type === 'chain-end' || event.type === 'error') terminal = true;
        yield event;
      }
      if (chunk.done || ended || malformed !== undefined) break;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  if (options.signal?.aborted) throw new AbortedError('The stream was aborted.');
  if (!terminal) {
    yield {
      type: 'error',
      error: { name: 'StreamInterruptedError', message: malformed ?? 'The stream ended before the run did.' },
    };
  }
}
