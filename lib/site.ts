export const site = {
  name: "Seedance Studio",
  description: "Make short video clips with ByteDance's Seedance models: text or first and last frames to video.",
};

/** `host` or `host:port`: a DNS name, IPv4 or bracketed IPv6 address, nothing else. */
const PLAIN_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

const firstValue = (header: string | null) => header?.split(",")[0]?.trim() || undefined;

/**
 * The absolute origin for links the studio hands out (share previews): PUBLIC_BASE_URL when
 * configured, else the host the request came to. Host, X-Forwarded-Host and X-Forwarded-Proto are
 * written by whoever sends the request, so each is used only when it is a plain host or
 * `http`/`https`; a malformed one falls back to the next source (forwarded, then Host, then the
 * server's own address). A link in a preview must never carry another scheme or a path.
 */
export function siteOrigin(headers: Headers, config: { publicBaseUrl?: string; fallbackOrigin: string }): string {
  // Configured, so trusted as written (env.ts checked it is a URL and dropped a trailing slash).
  if (config.publicBaseUrl) return config.publicBaseUrl;
  const fallback = new URL(config.fallbackOrigin);
  const host = [firstValue(headers.get("x-forwarded-host")), firstValue(headers.get("host"))].find((h) => h !== undefined && PLAIN_HOST.test(h));
  const proto = firstValue(headers.get("x-forwarded-proto"))?.toLowerCase();
  const scheme = proto === "https" || proto === "http" ? proto : fallback.protocol.slice(0, -1);
  return host ? new URL(`${scheme}://${host}`).origin : fallback.origin;
}
