import { isIP } from "node:net";
import { env } from "@/lib/env";

/** `203.0.113.7:51234` and `[2001:db8::1]:443` (some proxies add the port) to the bare address. */
function withoutPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value);
  return v4 ? v4[1]! : value;
}

/**
 * The client address for lockouts and rate limits, or undefined when it cannot be known.
 *
 * Next.js fills `x-forwarded-for` from the socket only when the request carries none, so a
 * client talking to Next.js directly writes the whole header itself: without trusted proxies
 * (`TRUST_PROXY` unset or 0) the header proves nothing and is ignored. With `TRUST_PROXY=n`,
 * each of the n proxies appends the address it saw, and the n-th entry from the right is the
 * one the outermost trusted proxy saw: whatever the client wrote to the left of it is ignored.
 * A value that is not an IP address is no address at all (it must not become a limit key).
 */
export function clientIpFrom(headers: Headers, trustedHops: number = env().trustProxyHops): string | undefined {
  if (trustedHops <= 0) return undefined;
  const entries = headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  const candidate = entries.length > 0 ? entries[Math.max(0, entries.length - trustedHops)] : headers.get("x-real-ip")?.trim();
  if (!candidate) return undefined;
  const address = withoutPort(candidate);
  return isIP(address) ? address : undefined;
}
