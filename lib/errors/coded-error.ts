import type { Coded } from "./codes";

/**
 * A coded error raised in the browser (an image check before upload): client-safe, with no
 * words of its own. Whoever catches it renders `error` with `renderError` in the creator's language.
 */
export class CodedError extends Error {
  constructor(readonly error: Coded) {
    super(error.code);
    this.name = "CodedError";
  }
}
