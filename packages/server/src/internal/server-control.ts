import { AbortedError } from '@stepwise/core';
import type { Logger } from 'pino';

/**
 * What `serve()` needs from a handler made by `createHandler()` (or an app made by `createServer()`) to shut down
 * gracefully: stop taking runs, wait for the open ones, abort them at the deadline.
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

/**
 * Where a handler or an app carries its control: a registered symbol, so that `serve()` finds it even when it comes
 * from another copy of this module (the CommonJS build bundles each entry on its own; an application may load both
 * the ESM and the CommonJS build).
 */
const CONTROL = Symbol.for('stepwise.server.control');

/** @internal */
export function attachServerControl(app: object, control: ServerControl): void {
  Object.defineProperty(app, CONTROL, { value: control, enumerable: false, configurable: true });
}

/** @internal */
export function serverControlOf(app: object): ServerControl | undefined {
  return (app as { [CONTROL]?: ServerControl })[CONTROL];
}
