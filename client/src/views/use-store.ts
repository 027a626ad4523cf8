import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../state/store';

/** Re-render when the store changes; returns its current state. */
export function useStore<S extends object>(store: Store<S>): S {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((n) => n + 1)), [store]);
  return store.state;
}
