/**
 * "Show this clip": the form asks, the gallery answers by scrolling the clip's card into view.
 * A tiny store with no dependencies, so the form (in the first load) can ask before the
 * gallery's code has arrived; the gallery takes the latest request when it mounts.
 */
type Listener = (id: string) => void;

let pending: string | null = null;
const listeners = new Set<Listener>();

export function revealGeneration(id: string) {
  pending = id;
  for (const listener of listeners) listener(id);
}

/** Subscribes to reveal requests; a request made before subscribing is delivered at once. */
export function onReveal(listener: Listener): () => void {
  listeners.add(listener);
  if (pending) listener(pending);
  return () => void listeners.delete(listener);
}

/** The gallery has shown it: a later mount does not scroll to it again. */
export function revealed(id: string) {
  if (pending === id) pending = null;
}
