import { describe, expect, it, vi } from 'vitest';
import { createPushIterable, type PushSink } from './create-push-iterable';
import { forEachItem, isPushIterable } from './push-iterable';

/** A producer the test drives by hand. */
function manual<T>() {
  const state: { sink?: PushSink<T>; starts: number; cancels: number } = { starts: 0, cancels: 0 };
  let release: () => void = () => {};
  const cancelled = new Promise<void>((resolve) => {
    release = resolve;
  });
  const iterable = createPushIterable<T>((sink) => {
    state.sink = sink;
    state.starts++;
    return () => {
      state.cancels++;
      return cancelled;
    };
  });
  return { iterable, state, releaseCancel: () => release() };
}

describe('createPushIterable, iterated', () => {
  it('yields items pushed before and after next() in order, then ends', async () => {
    const iterable = createPushIterable<number>((sink) => {
      sink.push(1);
      sink.push(2);
      setTimeout(() => {
        sink.push(3);
        sink.end();
      }, 1);
    });
    const seen: number[] = [];
    for await (const n of iterable) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('answers overlapping next() calls in order', async () => {
    const { iterable, state } = manual<string>();
    const iterator = iterable[Symbol.asyncIterator]();
    const first = iterator.next();
    const second = iterator.next();
    const third = iterator.next();
    state.sink!.push('a');
    state.sink!.push('b');
    state.sink!.end();
    expect(await Promise.all([first, second, third])).toEqual([
      { done: false, value: 'a' },
      { done: false, value: 'b' },
      { done: true, value: undefined },
    ]);
  });

  it('delivers a failure after the queued items, then is done', async () => {
    const error = new Error('boom');
    const iterator = createPushIterable<number>((sink) => {
      sink.push(1);
      sink.fail(error);
      sink.push(2);
    })[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    await expect(iterator.next()).rejects.toBe(error);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('rejects a pending next() when the producer fails', async () => {
    const { iterable, state } = manual<number>();
    const iterator = iterable[Symbol.asyncIterator]();
    const pending = iterator.next();
    const error = new Error('late');
    state.sink!.fail(error);
    await expect(pending).rejects.toBe(error);
  });

  it('fails the first next() when the producer throws', async () => {
    const error = new Error('cannot start');
    const iterable = createPushIterable<number>(() => {
      throw error;
    });
    await expect(iterable[Symbol.asyncIterator]().next()).rejects.toBe(error);
  });

  it('return() cancels the producer, waits for its cancel promise and ignores later pushes', async () => {
    const { iterable, state, releaseCancel } = manual<number>();
    const iterator = iterable[Symbol.asyncIterator]();
    const pending = iterator.next();
    state.sink!.push(1);
    expect(await pending).toEqual({ done: false, value: 1 });
    let returned = false;
    const returning = iterator.return!().then((result) => {
      returned = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(state.cancels).toBe(1);
    expect(returned).toBe(false);
    expect(state.sink!.closed).toBe(true);
    releaseCancel();
    expect(await returning).toEqual({ done: true, value: undefined });
    state.sink!.push(2);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('breaking out of for await cancels the producer', async () => {
    const { iterable, state, releaseCancel } = manual<number>();
    releaseCancel();
    const loop = (async () => {
      for await (const n of iterable) if (n === 2) break;
    })();
    await Promise.resolve();
    state.sink!.push(1);
    state.sink!.push(2);
    await loop;
    expect(state.cancels).toBe(1);
  });

  it('return() before the first next() neither starts nor cancels the producer', async () => {
    const { iterable, state } = manual<number>();
    const iterator = iterable[Symbol.asyncIterator]();
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(state.starts).toBe(0);
  });

  it('does not cancel a producer that has ended', async () => {
    const { iterable, state } = manual<number>();
    const iterator = iterable[Symbol.asyncIterator]();
    const pending = iterator.next();
    state.sink!.push(1);
    state.sink!.end();
    await pending;
    await iterator.return!();
    expect(state.cancels).toBe(0);
  });
});

describe('createPushIterable, forEach', () => {
  it('calls the listener synchronously inside push() and resolves at the end', async () => {
    const { iterable, state } = manual<number>();
    const seen: number[] = [];
    const done = iterable.forEach((n) => {
      seen.push(n);
    });
    state.sink!.push(1);
    expect(seen).toEqual([1]);
    state.sink!.push(2);
    expect(seen).toEqual([1, 2]);
    state.sink!.end();
    await done;
    expect(state.cancels).toBe(0);
  });

  it('rejects when the producer fails', async () => {
    const error = new Error('mid-stream');
    const { iterable, state } = manual<number>();
    const done = iterable.forEach(() => {});
    state.sink!.push(1);
    state.sink!.fail(error);
    await expect(done).rejects.toBe(error);
  });

  it('a throwing listener stops the producer and rejects with its error once cancel settles', async () => {
    const { iterable, state, releaseCancel } = manual<number>();
    const error = new Error('listener');
    const listener = vi.fn((n: number) => {
      if (n === 2) throw error;
    });
    let settled = false;
    const done = iterable.forEach(listener).finally(() => {
      settled = true;
    });
    state.sink!.push(1);
    state.sink!.push(2);
    state.sink!.push(3);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(state.sink!.closed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(state.cancels).toBe(1);
    expect(settled).toBe(false);
    releaseCancel();
    await expect(done).rejects.toBe(error);
  });

  it('cancels a producer whose listener throws while produce() runs', async () => {
    let cancels = 0;
    const iterable = createPushIterable<number>((sink) => {
      sink.push(1);
      return () => {
        cancels++;
      };
    });
    await expect(
      iterable.forEach(() => {
        throw new Error('at once');
      }),
    ).rejects.toThrow('at once');
    expect(cancels).toBe(1);
  });

  it('starts the producer anew for every consumption', async () => {
    let starts = 0;
    const iterable = createPushIterable<number>((sink) => {
      starts++;
      sink.push(starts);
      sink.end();
    });
    const seen: number[] = [];
    await iterable.forEach((n) => {
      seen.push(n);
    });
    for await (const n of iterable) seen.push(n);
    expect(seen).toEqual([1, 2]);
  });
});

describe('forEachItem and isPushIterable', () => {
  it('tells push iterables from plain async iterables', () => {
    async function* plain() {
      yield 1;
    }
    expect(isPushIterable(createPushIterable(() => {}))).toBe(true);
    expect(isPushIterable(plain())).toBe(false);
  });

  it('uses forEach on a push iterable', async () => {
    const iterable = createPushIterable<number>((sink) => {
      sink.push(1);
      sink.end();
    });
    const forEach = vi.spyOn(iterable, 'forEach');
    const seen: number[] = [];
    await forEachItem(iterable, (n) => seen.push(n));
    expect(forEach).toHaveBeenCalledOnce();
    expect(seen).toEqual([1]);
  });

  it('iterates a plain async iterable and closes it when the listener throws', async () => {
    let closed = false;
    async function* plain() {
      try {
        yield 1;
        yield 2;
      } finally {
        closed = true;
      }
    }
    const seen: number[] = [];
    await forEachItem(plain(), (n) => seen.push(n));
    expect(seen).toEqual([1, 2]);
    closed = false;
    await expect(
      forEachItem(plain(), () => {
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(closed).toBe(true);
  });
});
