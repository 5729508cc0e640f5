import "server-only";
import { lookup } from "node:dns/promises";
import net from "node:net";

/** Loopback, private, link-local, CGNAT, metadata, multicast and reserved ranges. */
export function isPrivateAddress(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (net.isIPv4(v4)) {
    const [a, b] = v4.split(".").map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  const lower = address.toLowerCase();
  return (
    lower === "::" ||
    lower === "::1" ||
    lower.startsWith("fc") ||
    lower.startsWith("fd") ||
    lower.startsWith("fe8") ||
    lower.startsWith("fe9") ||
    lower.startsWith("fea") ||
    lower.startsWith("feb") ||
    lower.startsWith("ff")
  );
}

export class UnsafeUrlError extends Error {}

export interface UrlPolicy {
  /** Origins we run ourselves (the embedded simulator): allowed over http and on loopback. */
  trustedOrigins: string[];
  /** ALLOW_PRIVATE_UPSTREAM=1: a self-hosted or test upstream on a private network. */
  allowPrivate: boolean;
}

/** Refuses URLs the server must not fetch: non-https, credentials, private addresses after DNS. */
export async function assertFetchableUrl(raw: string, policy: UrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError("Not a valid URL.");
  }
  if (policy.trustedOrigins.includes(url.origin)) return url;
  if (url.username || url.password) throw new UnsafeUrlError("URLs with credentials are refused.");
  if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) {
    throw new UnsafeUrlError("Only https URLs are fetched.");
  }
  if (policy.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [{ address: host }] : await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw new UnsafeUrlError(`Refusing to fetch from a private or local address (${url.hostname}).`);
  }
  return url;
}

/** fetch() that re-checks every redirect hop against the policy. */
export async function guardedFetch(raw: string, policy: UrlPolicy, init: RequestInit & { maxRedirects?: number } = {}): Promise<Response> {
  let current = raw;
  for (let hop = 0; hop <= (init.maxRedirects ?? 3); hop++) {
    const url = await assertFetchableUrl(current, policy);
    const response = await fetch(url, { ...init, redirect: "manual" });
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      await response.body?.cancel();
      current = new URL(response.headers.get("location")!, url).toString();
      continue;
    }
    return response;
  }
  throw new UnsafeUrlError("Too many redirects.");
}
