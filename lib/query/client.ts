export class FetchError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

/** fetch() that turns a non-2xx JSON error body into a typed error and notices being offline. */
export async function fetchJson<T>(input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    throw new FetchError(typeof navigator !== "undefined" && !navigator.onLine ? "You are offline." : "Could not reach the server.", 0);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string; fieldErrors?: Record<string, string[]> } } | null;
    throw new FetchError(body?.error?.message ?? `Request failed (${response.status}).`, response.status, body?.error?.fieldErrors);
  }
  return (await response.json()) as T;
}
