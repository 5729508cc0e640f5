import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Where media may come from besides us: with MEDIA_DELIVERY=redirect a player follows our
 * route's redirect to the bucket, which media-src must allow (any https store, and the
 * configured endpoint when it is plain http, as a local MinIO is).
 */
export function redirectMediaSources(config = env()): string[] {
  if (config.mediaDelivery !== "redirect" || config.storage.kind !== "s3") return [];
  const endpoint = config.storage.endpoint ? new URL(config.storage.endpoint) : null;
  return endpoint && endpoint.protocol === "http:" ? ["https:", endpoint.origin] : ["https:"];
}

/** Security headers for every response; the CSP carries a fresh nonce per request. */
export function contentSecurityPolicy(nonce: string, { dev = false, mediaSources = [] }: { dev?: boolean; mediaSources?: readonly string[] } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Next.js and Tailwind set inline style attributes; scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    ["media-src 'self' blob:", ...mediaSources].join(" "),
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), browsing-topics=()",
  "cross-origin-opener-policy": "same-origin",
};

export function applySecurityHeaders(headers: Headers, { nonce, dev, https }: { nonce: string; dev?: boolean; https?: boolean }) {
  headers.set("content-security-policy", contentSecurityPolicy(nonce, { dev, mediaSources: redirectMediaSources() }));
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) headers.set(name, value);
  if (https) headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
}

/** Served over https, directly or behind a proxy that says so (for HSTS). */
export function isHttpsRequest(url: URL, headers: Headers): boolean {
  return url.protocol === "https:" || headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

/** The proxy's headers on an answer from a route the proxy does not run for (proxy.ts `config.matcher`). */
export function withSecurityHeaders(request: Request, response: Response): Response {
  applySecurityHeaders(response.headers, { nonce: randomBytes(16).toString("base64"), https: isHttpsRequest(new URL(request.url), request.headers) });
  return response;
}
