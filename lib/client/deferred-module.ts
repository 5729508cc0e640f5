import { useSyncExternalStore } from "react";

/**
 * A module kept out of the page's first load: fetched by `load()` (the studio form calls it
 * on its first touch), read synchronously through `current` afterwards, and re-rendering the
 * components that read it with `useModule()` when it arrives. Server renders see it absent.
 */
export function deferredModule<M>(importer: () => Promise<M>) {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const listeners = new Set<() => void>();
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return {
    load(): Promise<M> {
      return (loading ??= importer().then(
        (imported) => {
          loaded = imported;
          for (const listener of listeners) listener();
          return imported;
        },
        (error: unknown) => {
          // A chunk that failed to arrive (a dropped connection) is fetched again next time.
          loading = undefined;
          throw error;
        },
      ));
    },
    get current(): M | undefined {
      return loaded;
    },
    useModule(): M | undefined {
      return useSyncExternalStore(subscribe, () => loaded, () => undefined);
    },
  };
}
