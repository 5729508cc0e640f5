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

/**
 * "Use as reference" from the gallery or the player: a clip (`clip:<id>`, with its poster and
 * length for the tray), or a still as a file, which the tray checks and uploads like a dropped one.
 */
export type ReferenceRequest =
  | { file: File }
  | { kind: "image" | "video" | "audio"; ref: string; meta: { preview?: string; seconds?: number; name?: string } };

type ReferenceListener = (request: ReferenceRequest) => void;
const referenceListeners = new Set<ReferenceListener>();

export function requestReference(request: ReferenceRequest) {
  for (const listener of referenceListeners) listener(request);
}

export function onReferenceRequest(listener: ReferenceListener): () => void {
  referenceListeners.add(listener);
  return () => void referenceListeners.delete(listener);
}
