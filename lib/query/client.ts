import type { ErrorLike } from "@/lib/errors/render";

/**
 * A failed call to our own API, carrying the answer's coded error (`code`, `params`), so the
 * browser words it in the creator's language with `useErrorText`; `message` is the English.
 */
export class FetchError extends Error implements ErrorLike {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors?: Record<string, string[]>,
    readonly code?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}

/** Anything a fetch threw, as an error the catalogue can word (not ours: `internal`). */
export function asErrorLike(error: unknown): ErrorLike {
  return error instanceof FetchError ? error : { code: "internal", params: {} };
}

/** fetch() that turns a non-2xx JSON error body into a typed error and notices being offline. */
export async function fetchJson<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    const code = typeof navigator !== "undefined" && !navigator.onLine ? "browser_offline" : "server_unreachable";
    throw new FetchError(code === "browser_offline" ? "You are offline." : "Could not reach the server.", 0, undefined, code, {});
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { message?: string; code?: string; params?: Record<string, string | number>; fieldErrors?: Record<string, string[]> };
    } | null;
    const error = body?.error;
    // No coded body (a proxy's page, a crash): the generic `internal`, never a status in English.
    throw new FetchError(error?.message ?? `Request failed (${response.status}).`, response.status, error?.fieldErrors, error?.code ?? "internal", error?.code ? (error.params ?? {}) : {});
  }
  return (await response.json()) as T;
}
