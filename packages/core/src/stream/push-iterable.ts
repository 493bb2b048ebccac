/**
 * An async iterable that can also deliver its items by push. `forEach(listener)` consumes it like a `for await`
 * loop would, but calls `listener` synchronously as each item is produced, without a promise per item; the
 * returned promise resolves when the source ends and rejects when it fails. If `listener` throws, the source
 * stops (as `return()` stops an iterator) and the promise rejects with that error.
 *
 * `runtime-local`'s `stream()` and `fakeModels`' `doStream()` return one; `@stepwise/server` and runtime-local's
 * `respond` use `forEach` when it is there (see {@link forEachItem}) and iterate otherwise. Implementing it is
 * optional: every `ChainRuntime` and `ModelProvider` is consumed correctly through `Symbol.asyncIterator`.
 *
 * @example
 * ```ts
 * const events = runtime.stream(chain, { question: 'Hi' });
 * if (isPushIterable(events)) {
 *   await events.forEach((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
 * }
 * ```
 */
export interface PushIterable<T> extends AsyncIterable<T> {
  /** Consumes the source, calling `listener` with each item as it is produced. */
  forEach(listener: (item: T) => void): Promise<void>;
}

/**
 * Whether an async iterable can deliver its items by push ({@link PushIterable}).
 *
 * @example
 * ```ts
 * const stream = models.doStream(request);
 * const mode = isPushIterable(stream) ? 'push' : 'pull';
 * ```
 */
export function isPushIterable<T>(source: AsyncIterable<T>): source is PushIterable<T> {
  return typeof (source as Partial<PushIterable<T>>).forEach === 'function';
}

/**
 * Consumes an async iterable, calling `listener` for each item: by push when the source is a
 * {@link PushIterable}, with `for await` otherwise. Resolves when the source ends; rejects when it fails or
 * `listener` throws (which stops the source).
 *
 * @example
 * ```ts
 * let text = '';
 * await forEachItem(models.doStream(request, { signal }), (part) => {
 *   if (part.type === 'text-delta') text += part.delta;
 * });
 * ```
 */
export async function forEachItem<T>(source: AsyncIterable<T>, listener: (item: T) => void): Promise<void> {
  if (isPushIterable(source)) return source.forEach(listener);
  for await (const item of source) listener(item);
}
