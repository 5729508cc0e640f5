import { lazy, type ComponentType } from "react";

type Loaded<P> = { default: ComponentType<P> };

/** A thenable that is already fulfilled: React.lazy reads such a one without suspending. */
function fulfilled<T>(value: T): PromiseLike<T> & { status: "fulfilled"; value: T } {
  return {
    status: "fulfilled",
    value,
    then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null): PromiseLike<R1 | R2> {
      return fulfilled(onFulfilled ? (onFulfilled(value) as R1) : (value as unknown as R1));
    },
  };
}

/**
 * A component whose code is not in the page's first JavaScript but whose HTML is in its first
 * paint. The server has the module at hand (`onServer`), so nothing suspends and the HTML is part
 * of the shell: no Suspense boundary goes around it, since React streams a large boundary apart
 * (hidden until an inline script reveals it), which would hide it from a page without scripts.
 * The browser starts fetching the chunk as soon as this module runs, beside the page's other
 * chunks; hydration waits for it, keeping the server's HTML, and what is typed into it, meanwhile.
 *
 * `onServer` is written at the call site as `typeof window === "undefined" ? require(...) :
 * undefined`, so the bundler drops the require from the browser's bundle.
 */
export function lazyRenderedOnServer<P>(onServer: Loaded<P> | undefined, load: () => Promise<Loaded<P>>) {
  let loaded = onServer;
  if (!loaded) {
    void load().then(
      (module) => (loaded = module),
      () => undefined, // the lazy asks again when it renders
    );
  }
  return lazy(() => (loaded ? (fulfilled(loaded) as unknown as Promise<Loaded<P>>) : load()));
}
