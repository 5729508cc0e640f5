import "server-only";
import { lookup } from "node:dns/promises";
import net from "node:net";

function privateV4(v4: string): boolean {
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

/** An IPv6 address as 8 groups (handles `::` and a dotted IPv4 tail); null if malformed. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const v4FromGroups = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/**
 * Loopback, private, link-local, CGNAT, metadata, multicast and reserved ranges, including IPv4
 * written inside IPv6 (mapped `::ffff:7f00:1`, compatible `::7f00:1`, NAT64 `64:ff9b::`, 6to4 `2002::`).
 */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) return privateV4(address);
  const g = ipv6Groups(address);
  if (!g) return true; // not an address we understand: refuse
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return true; // ::
  if (zeros(0, 7) && g[7] === 1) return true; // ::1
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return privateV4(v4FromGroups(g[6]!, g[7]!)); // mapped / compatible
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return privateV4(v4FromGroups(g[6]!, g[7]!)); // NAT64
  if (g[0] === 0x2002) return privateV4(v4FromGroups(g[1]!, g[2]!)); // 6to4
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 || // fec0::/10 site-local (deprecated)
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && g[1] === 0x0db8) || // documentation
    (first === 0x100 && zeros(1, 4)) // discard-only 100::/64
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
