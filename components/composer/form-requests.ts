/**
 * Requests from outside the form into its current values, without remounting it (a preset
 * would replace everything the creator typed): the player's "use this frame as the first (or
 * last) frame". No dependencies: the form sits in the first load.
 */
export interface FrameRequest {
  field: "firstFrame" | "lastFrame";
  /** A data URL of the still. */
  image: string;
}

type Listener = (request: FrameRequest) => void;
const listeners = new Set<Listener>();

export function requestFrame(request: FrameRequest) {
  for (const listener of listeners) listener(request);
}

export function onFrameRequest(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
