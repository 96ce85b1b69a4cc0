/**
 * The server's life as an explicit state machine: starting → running → stopping → draining →
 * stopped, or failed from any state. The state drives `/readyz`, signal handling and the exit
 * code; an illegal transition is a bug and throws.
 */

/** Where the server is in its life. */
export type LifecycleState = 'starting' | 'running' | 'stopping' | 'draining' | 'stopped' | 'failed';

const NEXT: Record<LifecycleState, readonly LifecycleState[]> = {
  starting: ['running', 'stopping', 'failed'],
  running: ['stopping', 'failed'],
  stopping: ['draining', 'failed'],
  draining: ['stopped', 'failed'],
  stopped: [],
  failed: [],
};

/** Called on every transition. */
export type LifecycleListener = (from: LifecycleState, to: LifecycleState) => void;

/** The current state and its allowed transitions. */
export class Lifecycle {
  private current: LifecycleState = 'starting';
  private readonly listeners: LifecycleListener[] = [];
  /** Why the server failed, once it has. */
  failure: Error | null = null;

  get state(): LifecycleState {
    return this.current;
  }

  /** Whether the server accepts and serves requests. */
  get serving(): boolean {
    return this.current === 'running';
  }

  /** Whether shutdown has begun (or the server is already down). */
  get shuttingDown(): boolean {
    return this.current !== 'starting' && this.current !== 'running';
  }

  onChange(listener: LifecycleListener): void {
    this.listeners.push(listener);
  }

  /** Moves to `to`; throws if that transition is not allowed from the current state. */
  to(to: LifecycleState): void {
    const from = this.current;
    if (!NEXT[from].includes(to)) throw new Error(`illegal lifecycle transition ${from} -> ${to}`);
    this.current = to;
    for (const l of this.listeners) l(from, to);
  }

  /** Records a failure (from any state but a final one). */
  fail(err: Error): void {
    if (this.current === 'stopped' || this.current === 'failed') return;
    this.failure = err;
    this.to('failed');
  }
}
