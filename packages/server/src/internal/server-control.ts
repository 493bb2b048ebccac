import { AbortedError } from '@stepwise/core';
import type { Logger } from 'pino';

/**
 * What `serve()` needs from an app made by `createServer()` to shut down gracefully: stop taking runs,
 * wait for the open ones, abort them at the deadline.
 * @internal
 */
export class ServerControl {
  draining = false;
  /** The app's logger, for what happens outside the app (parse errors answered by the Node server). */
  logger: Logger | undefined;
  private readonly runs = new Set<AbortController>();
  private readonly idleWaiters: Array<() => void> = [];

  get activeRuns(): number {
    return this.runs.size;
  }

  /** Registers a run; the returned function unregisters it. */
  track(controller: AbortController): () => void {
    this.runs.add(controller);
    return () => {
      this.runs.delete(controller);
      if (this.runs.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
  }

  /** Resolves when no run is open. */
  idle(): Promise<void> {
    if (this.runs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts every open run. */
  abortAll(message: string): void {
    for (const controller of this.runs) controller.abort(new AbortedError(message));
  }
}

const controls = new WeakMap<object, ServerControl>();

/** @internal */
export function attachServerControl(app: object, control: ServerControl): void {
  controls.set(app, control);
}

/** @internal */
export function serverControlOf(app: object): ServerControl | undefined {
  return controls.get(app);
}
