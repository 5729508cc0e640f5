/**
 * An error's message in the reader's language: the catalogue entry for its code, rendered with
 * its params, then the upstream's own words when it gave a reason. Given the translator, so the
 * same function serves the browser (the creator's language) and the server (English, ./english).
 * Client-safe and tiny on purpose: it imports nothing, so it adds nothing to a first load.
 */

type Values = Record<string, string | number>;

/** A next-intl translator at the catalogue's root (`useTranslations()`, `createTranslator`). */
export interface ErrorTranslator {
  (key: never, values?: never): string;
  has(key: never): boolean;
}

/** What a stored or received error holds: a code with params (new), or a code and an English message (old rows). */
export interface ErrorLike {
  code?: string | null;
  params?: Values | null;
  detail?: string | null;
  message?: string | null;
}

export function renderError(translator: ErrorTranslator, error: ErrorLike, fallback?: string): string {
  // The catalogue's keys are typed; error codes arrive as data, so look them up untyped.
  const t = translator as unknown as ((key: string, values?: Values) => string) & { has(key: string): boolean };
  const key = `errors.${error.code}`;
  // Rows stored before codes had params carry their message in English: show it as it was.
  if (!error.code || !error.params || !t.has(key)) return error.message || fallback || t("errors.internal");
  const message = t(key, error.params);
  return error.detail ? `${message} ${t("errorParts.upstreamSaid", { detail: error.detail })}` : message;
}
