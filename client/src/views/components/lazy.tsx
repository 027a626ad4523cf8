import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context';

/**
 * A component whose code is fetched on first use (its own chunk, see vite's dynamic imports): the
 * chamber's desk and its charts are not downloaded by a farmer's phone. If the chunk cannot be
 * fetched (offline, a new deploy), the page says so and offers to try again.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const start = () =>
    (pending ??= load()
      .then((c) => (loaded = c))
      .catch((error: unknown) => {
        pending = null;
        throw error;
      }));
  return function Lazy(props: P) {
    const { t } = useApp();
    const [state, setState] = useState<'loading' | 'ready' | 'failed'>(loaded ? 'ready' : 'loading');
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let alive = true;
      start().then(
        () => alive && setState('ready'),
        () => alive && setState('failed'),
      );
      return () => {
        alive = false;
      };
    }, [attempt]);
    if (loaded) {
      const Loaded = loaded;
      return <Loaded {...props} />;
    }
    return (
      <main id="main" aria-busy={state === 'loading'}>
        {state === 'failed' ? (
          <p role="alert">
            {t('app.chunkFailed')}{' '}
            <button
              type="button"
              class="link-button"
              onClick={() => {
                setState('loading');
                setAttempt((n) => n + 1);
              }}
            >
              {t('app.retry')}
            </button>
          </p>
        ) : (
          <p>{t('app.loading')}</p>
        )}
      </main>
    );
  };
}
