import type { PushIterable } from './push-iterable';

/**
 * Where a producer made with {@link createPushIterable} delivers its items. Calls after the stream has closed are
 * ignored.
 *
 * @example
 * ```ts
 * const ticks = createPushIterable<number>((sink: PushSink<number>) => {
 *   sink.push(1);
 *   sink.end();
 * });
 * ```
 */
export interface PushSink<T> {
  /** Delivers one item: to the `forEach` listener at once, or to the iterator (queued until `next()` takes it). */
  push(item: T): void;
  /** Ends the stream after the items already pushed. */
  end(): void;
  /** Fails the stream with `error`, after the items already pushed. */
  fail(error: unknown): void;
  /** True once the stream has ended or failed, or its consumer has stopped (`return()`, a throwing listener). */
  readonly closed: boolean;
}

/**
 * Starts producing into `sink` when the stream is first consumed. May return a function that stops the producer
 * when the consumer stops early; `return()` and `forEach` wait for the promise it returns, if any.
 *
 * @example
 * ```ts
 * const everySecond: PushProducer<number> = (sink) => {
 *   let n = 0;
 *   const timer = setInterval(() => sink.push(n++), 1000);
 *   return () => clearInterval(timer);
 * };
 * ```
 */
export type PushProducer<T> = (sink: PushSink<T>) => (() => void | PromiseLike<void>) | undefined | void;

/**
 * Makes a {@link PushIterable} from a producer: consumers either iterate it (`for await`; items pushed before
 * `next()` asks for them are queued) or call `forEach`, which hands each item to the listener synchronously as it is
 * pushed. Each consumption (each `Symbol.asyncIterator` call or `forEach` call) calls `produce` anew. Async
 * iterators made here accept overlapping `next()` calls and answer them in order.
 *
 * @example
 * ```ts
 * const countdown = (from: number) =>
 *   createPushIterable<number>((sink) => {
 *     let n = from;
 *     const timer = setInterval(() => {
 *       sink.push(n--);
 *       if (n < 0) {
 *         clearInterval(timer);
 *         sink.end();
 *       }
 *     }, 10);
 *     return () => clearInterval(timer);
 *   });
 * for await (const n of countdown(3)) console.log(n); // 3 2 1 0
 * await countdown(3).forEach((n) => console.log(n)); // the same, one promise in all
 * ```
 */
export function createPushIterable<T>(produce: PushProducer<T>): PushIterable<T> {
  return {
    [Symbol.asyncIterator]: () => new PushChannel(produce),
    forEach: (listener) => new PushChannel(produce).forEach(listener),
  };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

type Resolve<T> = (result: IteratorResult<T, undefined>) => void;

/** One consumption of a push iterable: the producer's sink and the consumer's iterator (or listener). */
class PushChannel<T> implements AsyncIterator<T, undefined>, PushSink<T> {
  closed = false;
  private started = false;
  private cancel: (() => void | PromiseLike<void>) | undefined;
  /** The producer is inside `produce()`: its cancel function is not known yet. */
  private producing = false;
  private afterProduce: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  // Pull consumption.
  private queue: T[] = [];
  private head = 0;
  private failure: { error: unknown } | undefined;
  private readonly resolvers: Array<Resolve<T>> = [];
  private readonly rejecters: Array<(error: unknown) => void> = [];
  // Push consumption.
  private listener: ((item: T) => void) | undefined;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(private readonly produce: PushProducer<T>) {}

  forEach(listener: (item: T) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.listener = listener;
      this.settle = { resolve, reject };
      this.start();
    });
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (!this.started) this.start();
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      return Promise.reject(failure.error);
    }
    if (this.closed) return Promise.resolve(DONE);
    return new Promise(this.wait);
  }

  return(): Promise<IteratorResult<T, undefined>> {
    if (!this.started) {
      this.started = true;
      this.closed = true;
      return Promise.resolve(DONE);
    }
    this.failure = undefined;
    this.settleWaiters();
    return this.stop().then(() => DONE);
  }

  push(item: T): void {
    if (this.closed) return;
    const listener = this.listener;
    if (listener !== undefined) {
      try {
        listener(item);
      } catch (error) {
        this.stop().then(() => this.settle!.reject(error));
      }
      return;
    }
    const resolve = this.resolvers.shift();
    if (resolve !== undefined) {
      this.rejecters.shift();
      resolve({ done: false, value: item });
    } else {
      this.queue.push(item);
    }
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancel = undefined;
    if (this.settle !== undefined) this.settle.resolve();
    else this.settleWaiters();
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.cancel = undefined;
    if (this.settle !== undefined) {
      this.settle.reject(error);
      return;
    }
    const reject = this.rejecters.shift();
    if (reject === undefined) {
      this.failure = { error };
      return;
    }
    this.resolvers.shift();
    reject(error);
    this.settleWaiters();
  }

  /** The executor of a pending `next()`, made once per channel rather than once per item. */
  private readonly wait = (resolve: Resolve<T>, reject: (error: unknown) => void): void => {
    this.resolvers.push(resolve);
    this.rejecters.push(reject);
  };

  private start(): void {
    this.started = true;
    this.producing = true;
    let cancel: ReturnType<PushProducer<T>>;
    try {
      cancel = this.produce(this);
    } catch (error) {
      this.fail(error);
    } finally {
      this.producing = false;
    }
    // Keep the cancel function while the producer runs, or when the consumer stopped during produce().
    const stopped = this.afterProduce;
    if (typeof cancel === 'function' && (!this.closed || stopped !== undefined)) this.cancel = cancel;
    this.afterProduce = undefined;
    stopped?.();
  }

  /** The consumer stops: closes the channel and cancels the producer, once. */
  private stop(): Promise<void> {
    if (this.stopping === undefined) {
      this.closed = true;
      this.queue = [];
      this.head = 0;
      this.stopping = this.producing
        ? new Promise<void>((resolve) => {
            this.afterProduce = resolve;
          }).then(() => this.runCancel())
        : this.runCancel();
    }
    return this.stopping;
  }

  private runCancel(): Promise<void> {
    const cancel = this.cancel;
    this.cancel = undefined;
    if (cancel === undefined) return Promise.resolve();
    try {
      return Promise.resolve(cancel()).then(ignore, ignore);
    } catch {
      return Promise.resolve();
    }
  }

  private settleWaiters(): void {
    this.rejecters.length = 0;
    for (const resolve of this.resolvers.splice(0)) resolve(DONE);
  }
}

function ignore(): void {}
