/**
 * The client address for lockouts and rate limits: the last `x-forwarded-for` entry (the one
 * the nearest reverse proxy appended; Next.js sets it from the socket when no proxy did), else
 * `x-real-ip`. A client talking to Next.js directly can forge the header, which is why the
 * sign-in lockout also has a global cap and creation is also limited per session.
 */
export function clientIpFrom(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
  const ip = last ?? headers.get("x-real-ip")?.trim() ?? "unknown";
  return ip.slice(0, 64);
}
