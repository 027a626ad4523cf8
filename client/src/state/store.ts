/**
 * The smallest useful store: an EventTarget holding an immutable state object.
 * Views subscribe to 'change'; tests call methods and read `state` in plain Node.
 */
export class Store<S extends object> extends EventTarget {
  #state: S;

  constructor(initial: S) {
    super();
    this.#state = initial;
  }

  get state(): S {
    return this.#state;
  }

  protected setState(patch: Partial<S>): void {
    this.#state = { ...this.#state, ...patch };
    this.dispatchEvent(new Event('change'));
  }

  /** Subscribe to changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.addEventListener('change', listener);
    return () => this.removeEventListener('change', listener);
  }
}
