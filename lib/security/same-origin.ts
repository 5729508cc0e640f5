/**
 * Is a state-changing request from another site? Pure (headers in, boolean out), so the proxy,
 * the JSON API and tests share one rule.
 *
 * The request's own host is the one Next's server-action check compares `Origin` with: the first
 * `X-Forwarded-Host`, else `Host`, else the URL's. A browser cannot forge either header on a
 * cross-site request without a CORS preflight, which the studio never grants.
 *
 * - `Origin` present: cross-site unless its host is the request's own host or the origin is one of
 *   `trustedOrigins`. `Origin: null` (sandboxed frames, some redirects) and an unparsable value
 *   count as cross-site.
 * - No `Origin`: `Sec-Fetch-Site: cross-site` or `same-site` (a sibling subdomain) is refused; a
 *   request without either header comes from a script or an old client, which holds no
 *   browser's cookies unless given them, so it is let through (as Next lets it through).
 *
 * Next itself answers a server action whose Origin does not match with a 500; calling this first
 * turns that refusal into a clear 403.
 */
export function isCrossSiteRequest(
  headers: Headers,
  { url, trustedOrigins = [] }: { url: string | URL; trustedOrigins?: readonly string[] },
): boolean {
  const origin = headers.get("origin");
  if (origin === null) {
    const site = headers.get("sec-fetch-site")?.trim().toLowerCase();
    return site === "cross-site" || site === "same-site";
  }
  const given = parseOrigin(origin);
  if (!given) return true;
  if (trustedOrigins.some((trusted) => parseOrigin(trusted)?.origin === given.origin)) return false;
  const own = ownHost(headers, url);
  return own === null || own !== given.host;
}

function parseOrigin(value: string): URL | null {
  if (value.trim().toLowerCase() === "null") return null;
  try {
    const parsed = new URL(value.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : null;
  } catch {
    return null;
  }
}

/** `host[:port]` in lowercase, the way `URL#host` writes it (default ports dropped). */
function ownHost(headers: Headers, url: string | URL): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const candidate = forwarded || headers.get("host")?.trim();
  if (candidate) {
    // A host and an optional port, nothing more (a path or a space would otherwise be dropped by the URL parser).
    if (!/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(candidate)) return null;
    try {
      const scheme = new URL(url).protocol;
      return new URL(`${scheme}//${candidate}`).host;
    } catch {
      return null;
    }
  }
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
