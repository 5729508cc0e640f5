import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { cachedSessionSecret } from "@/lib/auth/secret";
import { SESSION_COOKIE, unauthorizedApiResponse, verifySession } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { appErrorResponse } from "@/lib/errors/answer";
import { applySecurityHeaders, isHttpsRequest } from "@/lib/security/headers";
import { isMalformedPath } from "@/lib/security/request-path";
import { isCrossSiteRequest } from "@/lib/security/same-origin";

/**
 * Runs before every route: a fresh CSP nonce and the security headers on every response, and,
 * when STUDIO_PASSWORD is set, the sign-in gate (APIs answer 401 JSON, pages redirect to
 * /sign-in?next=). It is the first lock, never the only one: every route handler checks the
 * caller itself (lib/http/route-guard.ts), every server action and page too (lib/http/gate.ts).
 * Two kinds of request pass through unchecked for that second lock to answer: server actions on
 * page paths (so the form can show "sign in again" instead of failing to parse a redirect), and
 * `/api/` requests with `Authorization: Bearer` (API keys live in the database, which the proxy
 * does not read).
 */

/**
 * Reachable without a session: sign-in, share pages and their media, upstream callbacks, health,
 * fonts, the tab icon, the simulator.
 */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === "/sign-in" ||
    pathname.startsWith("/v/") ||
    pathname.startsWith("/g/") ||
    pathname.startsWith("/api/shares/") ||
    pathname.startsWith("/api/callbacks/seedance/") ||
    // The embedded upstream checks its own bearer token, as the real one does; its clip links
    // are public, as the real upstream's are.
    pathname.startsWith("/api/simulator/") ||
    pathname === "/api/health" ||
    pathname === "/favicon.ico" ||
    pathname === "/icon.svg" ||
    pathname.startsWith("/readme/") ||
    pathname.startsWith("/fonts/")
  );
}

export function proxy(request: NextRequest) {
  const nonce = randomBytes(16).toString("base64");
  const security = { nonce, dev: process.env.NODE_ENV === "development", https: isHttpsRequest(request.nextUrl, request.headers) };
  const { pathname, search } = request.nextUrl;
  const password = env().auth.password;

  // A path no route can serve (invalid UTF-8, a NUL): Next's production server would answer a
  // bare 500 while decoding it, before any route handler could.
  if (isMalformedPath(pathname)) {
    const response = appErrorResponse(new AppError("path_invalid"));
    applySecurityHeaders(response.headers, security);
    return response;
  }

  // A server action posted from another site: Next would refuse it with a bare 500 (its own
  // Origin check, against X-Forwarded-Host or Host only, so no trusted origins here); answer the
  // clear 403 first, by the same rule as the JSON API.
  if (request.method === "POST" && request.headers.has("next-action") && isCrossSiteRequest(request.headers, { url: request.url })) {
    const response = appErrorResponse(new AppError("cross_site"));
    applySecurityHeaders(response.headers, security);
    return response;
  }

  if (password && !isPublicPath(pathname)) {
    const isApi = pathname.startsWith("/api/");
    // A signed media link (the upstream fetching a reference) carries its permission in `sig`; the route checks it.
    const signedMedia = pathname.startsWith("/api/media/") && request.nextUrl.searchParams.has("sig");
    const checksItself = isApi
      ? /^bearer\s/i.test(request.headers.get("authorization") ?? "") || signedMedia
      : request.method === "POST" && request.headers.has("next-action");
    const secret = cachedSessionSecret();
    const session = secret ? verifySession(request.cookies.get(SESSION_COOKIE)?.value, { secret, password }) : null;
    if (!session && !checksItself) {
      let response: Response;
      if (isApi) {
        response = unauthorizedApiResponse();
      } else {
        const target = new URL("/sign-in", request.url);
        target.searchParams.set("next", `${pathname}${search}`);
        response = NextResponse.redirect(target, 303);
      }
      applySecurityHeaders(response.headers, security);
      return response;
    }
  }

  // Only pages read the nonce (for their inline scripts); rewriting an API request's headers
  // costs every call a fraction of a millisecond for nothing.
  if (pathname.startsWith("/api/")) {
    const response = NextResponse.next();
    applySecurityHeaders(response.headers, security);
    return response;
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  const csp = new Headers();
  applySecurityHeaders(csp, security);
  requestHeaders.set("content-security-policy", csp.get("content-security-policy")!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  applySecurityHeaders(response.headers, security);
  return response;
}

export const config = {
  // Not the two routes that take base64 images (up to 45 MB), nor the reference upload (a video
  // of up to 100 MB): Next would copy each body into memory for the proxy and cut it at 10 MB.
  // `/api/generations` and `/api/references` check the session and set these headers themselves,
  // and so does the simulator's create; their sub-paths stay here, so a malformed path under them
  // still gets its 400.
  matcher: ["/((?!_next/static|_next/image|api/generations$|api/references$|api/simulator/seedance/videos$).*)"],
};
