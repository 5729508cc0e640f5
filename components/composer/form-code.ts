import { deferredModule } from "@/lib/client/deferred-module";

/*
 * What the studio form needs only once the creator uses it, kept out of the page's first load.
 * With default values the form has nothing to check, so none of it is needed to paint or hydrate.
 */

/** zod, its resolver and the spec schema: the largest part. */
export const validation = deferredModule(() => Promise.all([import("@hookform/resolvers/zod"), import("@/lib/seedance/schema")]));
/** The capability rules behind the "before you generate" list and the image URL check. */
export const rules = deferredModule(() => import("@/lib/seedance/rules"));
/** The `--flag value` parser of the prompt box. */
export const inlineFlags = deferredModule(() => import("@/lib/seedance/flags"));

/**
 * Fetches all of it; called on the form's first focus, press or drag, and at once for a remix or
 * continue. A failure is left to the use that needs the module, which asks again.
 */
export function loadFormCode(): void {
  Promise.all([validation.load(), rules.load(), inlineFlags.load()]).catch(() => undefined);
}
