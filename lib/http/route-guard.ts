import "server-only";
import { requestClient } from "@/lib/http/gate";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/errors";
import type { ClientIdentity } from "@/lib/limits/create-limits";
import { withSecurityHeaders } from "@/lib/security/headers";
import { isCrossSiteRequest } from "@/lib/security/same-origin";

/**
 * The one way into a route handler under `app/api`. The proxy is not the only lock: it lets some
 * requests through untouched (bodies it must not copy, `Authorization: Bearer` scripts), and a
 * route must never depend on it. So every route handler is wrapped here, and the wrapper:
 *
 * 1. refuses cross-site writes (a page elsewhere can POST a `text/plain` form or a `fetch` with
 *    the owner's cookie, or none when the gate is off): 403;
 * 2. checks the caller itself (session cookie or API key, `requestClient`) unless the route is
 *    public by design (share media, signed callbacks, health, the simulator's own token): 401;
 * 3. takes request bodies as `application/json` only, where the route reads one (a type a
 *    browser cannot send cross-site without a CORS preflight, which we never answer): 415.
 *    A route that takes a file as its raw body (the reference upload) says so with
 *    `binaryBody`: its body must then declare one of the media types it lists, which are never
 *    the CORS-safelisted ones (`text/plain`, form encodings), so the same preflight stands in the
 *    way of a page elsewhere. Steps 1 and 2 are the same for it, and come first.
 *
 * The route walk test (`tests/unit/route-walk.test.ts`) holds every route file to it.
 */

export type RouteAccess =
  /** A session or an API key when STUDIO_PASSWORD is set. */
  | "signed-in"
  /** Anyone: the route guards itself (share ids, callback signatures, a bearer token) or reveals nothing. */
  | "public";

export interface GuardOptions {
  access: RouteAccess;
  /**
   * The route is outside the proxy (`config.matcher` in proxy.ts), so it sets the proxy's security
   * headers on its answers itself.
   */
  outsideProxy?: boolean;
  /** The route reads a JSON body: a non-empty body must say `application/json`. */
  json?: boolean;
  /**
   * The route reads a raw file as its body instead (never with `json`): a non-empty body must say
   * one of these types (`video/*`: any video type). Only media types and
   * `application/octet-stream` can be listed, none of which a browser sends cross-site without a
   * preflight.
   */
  binaryBody?: readonly BinaryBodyType[];
}

/** What a binary body may declare: media types (a whole top-level type as `video/*`), or unnamed bytes. */
export type BinaryBodyType = `${"image" | "video" | "audio"}/${string}` | "application/octet-stream";

export interface GuardedRequest<P> {
  client: ClientIdentity;
  params: P;
}

type RouteContext<P> = { params: Promise<P> };

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A body must say it is JSON; an empty one (`Content-Length: 0`, as optional bodies may be) needs no type. */
function checkJsonBody(request: Request): void {
  if (request.body === null || request.headers.get("content-length") === "0") return;
  const type = bodyType(request);
  if (type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return;
  // 415, with the header named as the field to fix.
  throw new AppError("body_not_json_type", {}, { fieldErrors: { "Content-Type": [{ code: "body_not_json_type", params: {} }] } });
}

/** The body's declared media type, lowercased without parameters; "" when it has none. */
function bodyType(request: Request): string {
  return request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
}

/** A file body must say one of `types`; an empty one needs none (the route answers that itself). */
function checkBinaryBody(request: Request, types: readonly BinaryBodyType[]): void {
  if (request.body === null || request.headers.get("content-length") === "0") return;
  const type = bodyType(request);
  const matches = (allowed: string) => (allowed.endsWith("/*") ? type.startsWith(allowed.slice(0, -1)) && type.length > allowed.length - 1 : type === allowed);
  if (/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(type) && types.some(matches)) return;
  throw new AppError("body_not_media_type", {}, { fieldErrors: { "Content-Type": [{ code: "body_not_media_type", params: {} }] } });
}

/** A guard whose options could open the JSON rule's hole is a programming error, refused when the route module loads. */
function checkOptions(options: GuardOptions): void {
  if (!options.binaryBody) return;
  if (options.json) throw new TypeError("A route reads a JSON body or a binary one, not both");
  // The types refuse these; a cast must not slip through either.
  for (const type of options.binaryBody) {
    if (!/^(image|video|audio)\/([a-z0-9.+-]+|\*)$|^application\/octet-stream$/.test(type)) throw new TypeError(`Not a binary body type: ${type}`);
  }
}

/** Wraps a route handler in the checks above; see the module comment. */
export function guardRoute<P = Record<string, never>>(
  options: GuardOptions,
  handle: (request: Request, guarded: GuardedRequest<P>) => Promise<Response>,
): (request: Request, ctx?: RouteContext<P>) => Promise<Response> {
  // ctx is optional so scripts and tests can call a handler without params, as Next does for static routes.
  return guardHandler<RouteContext<P> | undefined>(options, async (request, ctx, client) =>
    handle(request, { client, params: ctx ? await ctx.params : ({} as P) }),
  );
}

/** The same checks around a handler written in Next's own `(request, ctx)` shape. */
export function guardHandler<C>(
  options: GuardOptions,
  handle: (request: Request, ctx: C, client: ClientIdentity) => Promise<Response>,
): (request: Request, ctx: C) => Promise<Response> {
  checkOptions(options);
  return async (request, ctx) => {
    let response: Response;
    try {
      response = await checkedAnswer(request, options, (client) => handle(request, ctx, client));
    } catch (error) {
      response = errorResponse(error);
    }
    return options.outsideProxy ? withSecurityHeaders(request, response) : response;
  };
}

async function checkedAnswer(request: Request, options: GuardOptions, handle: (client: ClientIdentity) => Promise<Response>): Promise<Response> {
  const unsafe = UNSAFE_METHODS.has(request.method);
  if (unsafe) {
    const publicBaseUrl = env().publicBaseUrl;
    if (isCrossSiteRequest(request.headers, { url: request.url, trustedOrigins: publicBaseUrl ? [publicBaseUrl] : [] })) {
      throw new AppError("cross_site");
    }
  }
  let client: ClientIdentity = { ip: "unknown" };
  // `unauthorized`, or `api_key_invalid` for a script with a revoked key: both 401.
  if (options.access === "signed-in") client = await requestClient(request);
  if (unsafe && options.json) checkJsonBody(request);
  if (unsafe && options.binaryBody) checkBinaryBody(request, options.binaryBody);
  return handle(client);
}
