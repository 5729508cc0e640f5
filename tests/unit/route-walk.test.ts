/**
 * Every route handler under app/api, found from the route files themselves (a new route cannot be
 * forgotten), called without a session and with a `Next-Action` header, with the sign-in gate on:
 * each answers 401, except the few routes that are public by design, which answer what they
 * answer a stranger. The same paths through the proxy: it lets none of them through on the
 * strength of the header.
 */
import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { createTestPipeline, openTestDatabase, removeTempDirs, tempDir, type TestDatabase, type TestPipeline } from "./support/pipeline";

const state: { pipeline: TestPipeline | null } = { pipeline: null };
// Outside a request Next's connection() throws; the routes call it only to opt out of prerendering.
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));
vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));

const API_DIR = path.resolve(import.meta.dirname, "../../app/api");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Public by design, and what each says to a stranger with no credentials of its kind. */
const PUBLIC: Record<string, { status: number; statusFor?: Partial<Record<string, number>>; why: string }> = {
  "/api/health": { status: 200, why: "load balancers probe it; it reveals only up/down" },
  "/api/callbacks/seedance/[id]": { status: 401, why: "the upstream has no session: each URL is signed per task" },
  "/api/shares/[shareId]/[index]/[file]": { status: 404, why: "the share id is the key; an unknown one is not found" },
  "/api/simulator/[...path]": {
    status: 401,
    // GET serves rendered files by unguessable name, as the provider's CDN does; there is none here.
    statusFor: { GET: 404 },
    why: "the embedded upstream checks its own bearer token",
  },
};

interface RouteFile {
  route: string;
  file: string;
}

function routeFiles(dir = API_DIR): RouteFile[] {
  const found: RouteFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...routeFiles(full));
    else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
      found.push({ route: `/api/${path.relative(API_DIR, dir).split(path.sep).join("/")}`.replace(/\/$/, ""), file: full });
    }
  }
  return found.sort((a, b) => a.route.localeCompare(b.route));
}

/** A concrete URL and params for a route pattern: `[id]` -> `probe-id`, `[...key]` -> `clips/probe/video.mp4`. */
function concrete(route: string): { pathname: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const segments = route.split("/").flatMap((segment) => {
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(segment);
    if (catchAll) {
      const parts = route.includes("simulator") ? ["seedance", "videos"] : ["clips", "g_probe", "video.mp4"];
      params[catchAll[1]!] = parts;
      return parts;
    }
    const dynamic = /^\[(\w+)\]$/.exec(segment);
    if (dynamic) {
      const value = dynamic[1] === "index" ? "0" : dynamic[1] === "file" ? "video.mp4" : `probe-${dynamic[1]}`;
      params[dynamic[1]!] = value;
      return [value];
    }
    return [segment];
  });
  return { pathname: segments.join("/"), params };
}

function strangerRequest(pathname: string, method: string): NextRequest {
  const unsafe = !["GET", "HEAD", "OPTIONS"].includes(method);
  return new NextRequest(`http://studio.test${pathname}`, {
    method,
    headers: { "next-action": "x", ...(unsafe ? { "content-type": "application/json" } : {}) },
    ...(unsafe ? { body: JSON.stringify({ fromChain: "g_probe", generationIds: ["g_probe"], model: "doubao-seedance-1-0-pro-250528" }) } : {}),
  });
}

const routes = routeFiles();
let database: TestDatabase;

beforeAll(async () => {
  process.env.STUDIO_PASSWORD = "route-walk-password";
  process.env.SESSION_SECRET = "route-walk-secret-0123456789abcdef0123456789";
  process.env.DATA_DIR = tempDir("route-walk");
  resetEnvForTests();
  database = await openTestDatabase();
  state.pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "unused" }, trustedMediaOrigins: [], callbacks: false });
});

afterAll(async () => {
  await state.pipeline?.close();
  await database?.close();
  delete process.env.STUDIO_PASSWORD;
  delete process.env.SESSION_SECRET;
  delete process.env.DATA_DIR;
  resetEnvForTests();
  await removeTempDirs();
});

test("the walk finds the route files (a broken walk would pass vacuously)", () => {
  expect(routes.length).toBeGreaterThanOrEqual(13);
  expect(routes.map((r) => r.route)).toContain("/api/storyboards/[id]/share");
  for (const route of Object.keys(PUBLIC)) expect(routes.map((r) => r.route)).toContain(route);
});

describe.each(routes)("$route", ({ route, file }) => {
  test("every method refuses a stranger carrying Next-Action (or is public by design)", async () => {
    const handlers = (await import(file)) as Record<string, unknown>;
    const methods = METHODS.filter((m) => typeof handlers[m] === "function");
    expect(methods.length).toBeGreaterThan(0);
    const { pathname, params } = concrete(route);
    for (const method of methods) {
      const handler = handlers[method] as (request: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;
      const response = await handler(strangerRequest(pathname, method), { params: Promise.resolve(params) });
      const expected = PUBLIC[route]?.statusFor?.[method] ?? PUBLIC[route]?.status ?? 401;
      expect({ method, status: response.status }).toEqual({ method, status: expected });
      if (!PUBLIC[route]) {
        const body = (await response.json()) as { error: { code: string } };
        expect(body.error.code).toBe("unauthorized");
        expect(response.headers.get("www-authenticate")).toBe('Cookie realm="studio"');
        expect(response.headers.get("cache-control")).toBe("no-store");
      }
    }
  });

  test("the proxy does not let the Next-Action header through", async () => {
    const { proxy, config } = await import("@/proxy");
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    const handlers = (await import(file)) as Record<string, unknown>;
    const { pathname } = concrete(route);
    if (!matcher.test(pathname)) {
      // Outside the proxy: the route's own check (above) is the only lock, and it held.
      expect(["/api/generations", "/api/references", "/api/simulator/[...path]"]).toContain(route);
      return;
    }
    for (const method of METHODS.filter((m) => typeof handlers[m] === "function")) {
      const response = proxy(strangerRequest(pathname, method));
      if (PUBLIC[route]) expect(response.headers.get("x-middleware-next")).toBe("1");
      else expect({ method, status: response.status }).toEqual({ method, status: 401 });
    }
  });
});
