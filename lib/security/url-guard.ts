import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { Readable } from "node:stream";

function privateV4(v4: string): boolean {
  const [a, b, c] = v4.split(".").map(Number) as [number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    // 192.0.0.0/24 (IETF protocol assignments) and 192.0.2.0/24 (documentation); the rest of
    // 192.0.0.0/16 is ordinary public space (CDNs among it).
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
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
 * written inside IPv6 (compatible `::7f00:1`, NAT64 `64:ff9b::`, 6to4 `2002::`). IPv4-mapped
 * (`::ffff:0:0/96`), IPv4-translated (`::ffff:0:0:0/96`) and local-use NAT64 (`64:ff9b:1::/48`)
 * are refused whatever IPv4 they carry: none is globally reachable (IANA special-purpose
 * registry), so a DNS answer or URL holding one is a way around the IPv4 checks, never a CDN.
 */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) return privateV4(address);
  const g = ipv6Groups(address);
  if (!g) return true; // not an address we understand: refuse
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return true; // ::
  if (zeros(0, 7) && g[7] === 1) return true; // ::1
  if (zeros(0, 5) && g[5] === 0xffff) return true; // IPv4-mapped ::ffff:a.b.c.d
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return true; // IPv4-translated ::ffff:0:a.b.c.d
  if (zeros(0, 6)) return privateV4(v4FromGroups(g[6]!, g[7]!)); // IPv4-compatible ::a.b.c.d (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return true; // local-use NAT64 64:ff9b:1::/48
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

/**
 * A URL the server will not fetch: the coded `url_unsafe` for whoever asked (no host, no
 * address in it), with the specific reason kept in `reason` for logs.
 */
export class UnsafeUrlError extends AppError<"url_unsafe"> {
  constructor(readonly reason: string) {
    super("url_unsafe");
  }

  /** AppError's brand would match every AppError: this one is matched by its code. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof AppError && value.code === "url_unsafe";
  }
}

export interface UrlPolicy {
  /** Origins we run ourselves (the embedded simulator): allowed over http and on loopback. */
  trustedOrigins: string[];
  /** ALLOW_PRIVATE_UPSTREAM=1: a self-hosted or test upstream on a private network. */
  allowPrivate: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a name resolves to (the system resolver; tests give their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** A URL the policy allows, and the addresses its connection must use (null: a trusted origin, resolved as usual). */
interface CheckedUrl {
  url: URL;
  addresses: ResolvedAddress[] | null;
}

async function checkUrl(raw: string, policy: UrlPolicy, resolve: Resolver): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError("Not a valid URL.");
  }
  if (policy.trustedOrigins.includes(url.origin)) return { url, addresses: null };
  if (url.username || url.password) throw new UnsafeUrlError("URLs with credentials are refused.");
  if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) {
    throw new UnsafeUrlError("Only https URLs are fetched.");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = net.isIP(host);
  const addresses: ResolvedAddress[] = literal ? [{ address: host, family: literal === 6 ? 6 : 4 }] : await resolve(host);
  if (addresses.length === 0) throw new UnsafeUrlError(`${url.hostname} does not resolve to any address.`);
  if (!policy.allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new UnsafeUrlError(`Refusing to fetch from a private or local address (${url.hostname}).`);
  }
  return { url, addresses };
}

/** Refuses URLs the server must not fetch: non-https, credentials, private addresses after DNS. */
export async function assertFetchableUrl(raw: string, policy: UrlPolicy, { resolve = systemResolver }: { resolve?: Resolver } = {}): Promise<URL> {
  return (await checkUrl(raw, policy, resolve)).url;
}

/**
 * A connection lookup that answers only the addresses the guard checked: the socket cannot be
 * sent elsewhere by a second DNS answer (rebinding), while TLS (SNI, certificate) and Host keep
 * the name.
 */
function pinnedLookup(addresses: ResolvedAddress[]): net.LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    const fitting = family ? addresses.filter((a) => a.family === family) : addresses;
    if (fitting.length === 0) {
      callback(Object.assign(new Error(`No IPv${family} address was checked for this host`), { code: "ENOTFOUND" }), "", family);
    } else if (options.all) {
      callback(null, fitting.map(({ address, family }) => ({ address, family })));
    } else {
      callback(null, fitting[0]!.address, fitting[0]!.family);
    }
  };
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
/** Headers a redirect to another origin must not carry (as fetch drops them). */
const ORIGIN_BOUND_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/** One request over node:http(s), answered as a web Response whose body streams. */
function requestOnce(url: URL, addresses: ResolvedAddress[] | null, method: string, headers: Headers, body: Buffer | null, signal: AbortSignal | undefined) {
  return new Promise<Response>((resolve, reject) => {
    const outgoing: Record<string, string> = Object.fromEntries(headers);
    // Bodies are handed on as received: ask for no compression, which fetch would have undone.
    outgoing["accept-encoding"] ??= "identity";
    if (body) outgoing["content-length"] = String(body.length);
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      // No shared agent: a pooled socket may have been opened for another check of this name.
      { method, headers: outgoing, agent: false, signal, ...(addresses ? { lookup: pinnedLookup(addresses) } : {}) },
      (incoming) => {
        const status = incoming.statusCode ?? 0;
        if (status < 200 || status > 599) {
          incoming.destroy();
          reject(new TypeError(`fetch failed: HTTP status ${status} is not one a Response can carry`));
          return;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, one);
        }
        const empty = method === "HEAD" || NULL_BODY_STATUS.has(status);
        if (empty) incoming.resume();
        const stream = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, statusText: incoming.statusMessage, headers: responseHeaders }));
      },
    );
    request.on("error", (error) => {
      // Rejections read like fetch's: the abort reason, or a TypeError with the cause.
      if (signal?.aborted) reject(signal.reason);
      else if (error instanceof UnsafeUrlError) reject(error);
      else reject(new TypeError("fetch failed", { cause: error }));
    });
    request.end(body ?? undefined);
  });
}

/**
 * fetch() through the guard: every hop (redirects included) is checked and its connection pinned
 * to the checked addresses. Redirects follow fetch's rules (303, and 301/302 after a POST, turn
 * into a GET without a body; credentials stay with their origin).
 */
export async function guardedFetch(
  raw: string,
  policy: UrlPolicy,
  init: RequestInit & { maxRedirects?: number; resolve?: Resolver } = {},
): Promise<Response> {
  const resolve = init.resolve ?? systemResolver;
  let method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  let body: Buffer | null = null;
  if (init.body !== undefined && init.body !== null) {
    // Small request bodies (callbacks, JSON) are read once, so a redirect could send them again.
    const encoded = new Response(init.body);
    body = Buffer.from(await encoded.arrayBuffer());
    const type = encoded.headers.get("content-type");
    if (type && !headers.has("content-type")) headers.set("content-type", type);
  }
  init.signal?.throwIfAborted();
  let current = raw;
  for (let hop = 0; hop <= (init.maxRedirects ?? 3); hop++) {
    const { url, addresses } = await checkUrl(current, policy, resolve);
    const response = await requestOnce(url, addresses, method, headers, body, init.signal ?? undefined);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (response.status === 303 ? method !== "HEAD" : (response.status === 301 || response.status === 302) && method === "POST") {
        method = "GET";
        body = null;
        for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(name);
      }
      if (next.origin !== url.origin) for (const name of ORIGIN_BOUND_HEADERS) headers.delete(name);
      current = next.toString();
      continue;
    }
    return response;
  }
  throw new UnsafeUrlError("Too many redirects.");
}
