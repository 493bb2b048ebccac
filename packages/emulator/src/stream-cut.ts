import http2 from 'node:http2';

/**
 * Where and how the emulator cuts one Bedrock event stream (ConverseStream or InvokeModelWithResponseStream), to
 * test what a client does with an answer that breaks off. The cut point is a byte offset of the event-stream body:
 * `afterFrames` or `beforeEvent` names a frame boundary (default: the start of the body), and `afterBytes` moves
 * that many bytes further, so `{ afterFrames: 2, afterBytes: 5 }` cuts 5 bytes into the third frame (inside its
 * prelude). A cut point at or past the end of the body changes nothing: the answer arrives whole.
 *
 * @example
 * ```ts
 * const insideFrame: StreamCut = { afterFrames: 3, afterBytes: 20 };
 * const beforeStop: StreamCut = { beforeEvent: 'messageStop', how: 'end' };
 * const badChecksum: StreamCut = { afterFrames: 2, afterBytes: 40, how: 'corrupt' };
 * ```
 */
export interface StreamCut {
  /** Cut after this many whole frames (the first frame of a ConverseStream is `messageStart`). */
  afterFrames?: number;
  /**
   * Cut before the first frame of this event: a ConverseStream event type (`contentBlockDelta`, `contentBlockStop`,
   * `messageStop`, `metadata`); on InvokeModelWithResponseStream, the type of the model-family chunk inside the
   * frame (Anthropic: `message_delta`, `message_stop`) or its first key (Nova: `messageStop`, `metadata`).
   * Takes precedence over `afterFrames`. When no such frame comes, nothing is cut.
   */
  beforeEvent?: string;
  /** Bytes past the point `afterFrames`/`beforeEvent` names (from the start of the body without them). Default 0. */
  afterBytes?: number;
  /**
   * How the stream breaks at the cut point. Default `close`.
   * - `close`: the bytes before the cut point go out, then the TCP connection is destroyed (a dropped network, a dead
   *   proxy). At a frame boundary the AWS SDK's iterator then just ends, with no error.
   * - `end`: the response ends normally there (HTTP/2 `END_STREAM`, the last HTTP/1.1 chunk), as a proxy that gives up
   *   may end it.
   * - `reset`: HTTP/2 `RST_STREAM` with `INTERNAL_ERROR` (on HTTP/1.1, like `close`).
   * - `corrupt`: nothing is withheld; the byte at the cut point is flipped, so the frame holding it fails its
   *   checksum (or its length, in the prelude, runs past the end of the stream).
   */
  how?: 'close' | 'end' | 'reset' | 'corrupt';
}

/**
 * The stream a {@link StreamCut} function decides about.
 *
 * @example
 * ```ts
 * const firstCallOnly = (request: StreamCutRequest): StreamCut | undefined =>
 *   request.call === 1 ? { afterFrames: 4 } : undefined;
 * ```
 */
export interface StreamCutRequest {
  operation: 'ConverseStream' | 'InvokeModelWithResponseStream';
  /** The model id (percent-decoded, an ARN reduced to the id). */
  modelId: string;
  /** The step id, when the request carries it (ConverseStream `requestMetadata.stepwiseStepId`). */
  stepId?: string;
  /** 1 for the first event stream this emulator serves, 2 for the next, and so on. */
  call: number;
}

/**
 * Faults the emulator's Bedrock Runtime injects (tests). `cutStream` cuts event streams: one {@link StreamCut} for
 * every stream, or a function of the request that returns the cut of that stream (`undefined`: no cut).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({
 *   models: fakeModels({ default: 'A long answer ...' }),
 *   faults: { cutStream: ({ call }) => (call === 1 ? { afterFrames: 5 } : undefined) },
 * });
 * ```
 */
export interface EmulatorFaults {
  cutStream?: StreamCut | ((request: StreamCutRequest) => StreamCut | undefined);
}

const HOWS = new Set(['close', 'end', 'reset', 'corrupt']);

/**
 * Checks a {@link StreamCut}: counts are non-negative integers, `how` is known. Throws `TypeError` otherwise.
 * @internal
 *
 * @example
 * ```ts
 * checkStreamCut({ afterFrames: -1 }); // throws TypeError
 * ```
 */
export function checkStreamCut(cut: StreamCut): void {
  if (typeof cut !== 'object' || cut === null) throw new TypeError('A stream cut must be an object.');
  for (const key of ['afterFrames', 'afterBytes'] as const) {
    const value = cut[key];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new TypeError(`faults.cutStream.${key} must be a non-negative integer, not ${String(value)}.`);
    }
  }
  if (cut.beforeEvent !== undefined && typeof cut.beforeEvent !== 'string') {
    throw new TypeError('faults.cutStream.beforeEvent must be a string.');
  }
  if (cut.how !== undefined && !HOWS.has(cut.how)) {
    throw new TypeError(`faults.cutStream.how must be close, end, reset or corrupt, not ${String(cut.how)}.`);
  }
}

/** The subset of a Node HTTP/1 or HTTP/2 compatibility response a frame sink writes to. @internal */
export interface FrameTarget {
  write(chunk: Uint8Array | string, callback?: (error?: Error | null) => void): boolean;
  end(chunk?: Uint8Array | string): unknown;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
}

/**
 * Where the emulator writes the frames of one event stream, one frame per call, each with its event name.
 * @internal
 *
 * @example
 * ```ts
 * sink.frame(eventFrame('messageStart', { role: 'assistant' }), 'messageStart');
 * if (sink.closed) return;
 * ```
 */
export interface FrameSink {
  /** Writes one frame. */
  frame(bytes: Uint8Array, event: string): void;
  /** Writes a last frame (when given) and ends the response. */
  end(bytes?: Uint8Array, event?: string): void;
  /** True once nothing more can be written (the client left, or the stream was cut). */
  readonly closed: boolean;
}

/**
 * The frame sink of a response without faults.
 * @internal
 *
 * @example
 * ```ts
 * const sink = plainFrameSink(res);
 * ```
 */
export function plainFrameSink(res: FrameTarget): FrameSink {
  return {
    frame(bytes) {
      if (!res.destroyed && !res.writableEnded) res.write(bytes);
    },
    end(bytes) {
      if (res.destroyed || res.writableEnded) return;
      if (bytes) res.end(bytes);
      else res.end();
    },
    get closed() {
      return res.destroyed || res.writableEnded;
    },
  };
}

/** Resolves once what was written to the response has left the process (or after a short bound). */
async function flushed(res: FrameTarget): Promise<void> {
  const stream = (res as { stream?: http2.Http2Stream }).stream;
  const socket = (stream?.session?.socket ?? (res as { socket?: { writableLength?: number } | null }).socket) as
    | { writableLength?: number }
    | null
    | undefined;
  for (let round = 0; round < 200; round++) {
    const queued = stream?.session && !stream.session.destroyed ? stream.session.state.outboundQueueSize : 0;
    if (!queued && !socket?.writableLength) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Breaks the response as `how` says, once the bytes before the cut have gone out. */
function breakResponse(res: FrameTarget, how: 'close' | 'end' | 'reset', prefix: Uint8Array): void {
  if (how === 'end') {
    if (prefix.length > 0) res.end(prefix);
    else res.end();
    return;
  }
  const cut = async (): Promise<void> => {
    await flushed(res);
    const stream = (res as { stream?: http2.ServerHttp2Stream }).stream;
    if (stream) {
      if (how === 'reset') stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      else stream.session?.destroy();
      return;
    }
    (res as { socket?: { destroy(): void } | null }).socket?.destroy();
  };
  if (prefix.length > 0) res.write(prefix, () => void cut());
  else void cut();
}

/**
 * A frame sink that cuts the stream as `cut` says: it counts frames and bytes, writes up to the cut point and then
 * breaks the response (or flips the byte there, for `corrupt`). After a cut it is `closed`, so the producer stops.
 * @internal
 *
 * @example
 * ```ts
 * const sink = cuttingFrameSink(res, { afterFrames: 3, afterBytes: 7 });
 * ```
 */
export function cuttingFrameSink(res: FrameTarget, cut: StreamCut): FrameSink {
  const how = cut.how ?? 'close';
  const extra = cut.afterBytes ?? 0;
  const plain = plainFrameSink(res);
  let offset = 0;
  let frames = 0;
  let base: number | undefined = cut.beforeEvent === undefined && cut.afterFrames === undefined ? 0 : undefined;
  let done = false;
  let broken = false;

  /** The bytes of one frame to send, cutting or corrupting it when the cut point falls inside. */
  const pass = (bytes: Uint8Array, event: string, last: boolean): void => {
    if (base === undefined) {
      if (cut.beforeEvent !== undefined ? event === cut.beforeEvent : frames === cut.afterFrames) base = offset;
    }
    const start = offset;
    offset += bytes.length;
    frames += 1;
    const at = base === undefined || done ? undefined : base + extra - start;
    if (at === undefined || at >= bytes.length) {
      if (last) plain.end(bytes);
      else plain.frame(bytes, event);
      return;
    }
    done = true;
    if (how === 'corrupt') {
      const copy = Uint8Array.from(bytes);
      copy[at] = (copy[at] as number) ^ 0xff;
      if (last) plain.end(copy);
      else plain.frame(copy, event);
      return;
    }
    broken = true;
    breakResponse(res, how, bytes.subarray(0, at));
  };

  return {
    frame(bytes, event) {
      if (broken || plain.closed) return;
      pass(bytes, event, false);
    },
    end(bytes, event = '') {
      if (broken || plain.closed) return;
      if (bytes) pass(bytes, event, true);
      else plain.end();
    },
    get closed() {
      return broken || plain.closed;
    },
  };
}
