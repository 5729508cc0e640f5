import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { handleSimulatorRequest } from "@/lib/simulator/handler";
import { removeTempDirs, tempDir } from "./support/pipeline";

const TOKEN = "simulator-handler-test-token";
const saved = { ...process.env };
beforeEach(() => {
  // A configured token (no database needed) and a data folder of this file's own.
  Object.assign(process.env, { SIMULATOR_TOKEN: TOKEN, DATA_DIR: tempDir("simulator-handler"), SIMULATOR_DELAY_MS: "0" });
  resetEnvForTests();
  delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
});
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
  delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
});
afterAll(() => removeTempDirs());

const create = (headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/api/simulator/seedance/videos", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "doubao-seedance-1-0-pro-250528", content: [{ type: "text", text: "hello" }], async: true }),
  });

describe("the embedded simulator", () => {
  test("answers 404 on every path once a real SEEDANCE_API_TOKEN is configured", async () => {
    process.env.SEEDANCE_API_TOKEN = "real-token";
    resetEnvForTests();
    const response = await handleSimulatorRequest(create({ authorization: `Bearer ${TOKEN}` }), ["seedance", "videos"]);
    expect(response.status).toBe(404);
    const file = await handleSimulatorRequest(new Request("http://127.0.0.1/api/simulator/files/x.mp4"), ["files", "x.mp4"]);
    expect(file.status).toBe(404);
  });

  test.each([
    ["no authorization header", {}],
    ["a wrong token", { authorization: "Bearer nope" }],
    ["a token without Bearer", { authorization: TOKEN }],
    ["the token once documented as the default", { authorization: "Bearer seedance-simulator-token" }],
    ["the token with a character more", { authorization: `Bearer ${TOKEN}x` }],
  ])("refuses %s with 401 invalid_token, like the upstream", async (_name, headers) => {
    delete process.env.SEEDANCE_API_TOKEN;
    resetEnvForTests();
    const response = await handleSimulatorRequest(create(headers), ["seedance", "videos"]);
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_token");
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each([
    ["429", 429, "too_many_requests"],
    ["500", 500, "api_error"],
    ["403", 403, "used_up"],
    ["413", 413, "request_too_large"],
  ])("failure injection header %s answers the contract's error body", async (value, status, code) => {
    delete process.env.SEEDANCE_API_TOKEN;
    resetEnvForTests();
    const response = await handleSimulatorRequest(create({ authorization: `Bearer ${TOKEN}`, "x-simulator-fail": value }), ["seedance", "videos"]);
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    if (status === 429) expect(response.headers.get("retry-after")).toBe("1");
  });

  test.each([
    ["an out-of-range status", "99999"],
    ["a success status", "200"],
    ["a redirect status", "302"],
    ["an error status the upstream never answers", "418"],
    ["a word", "soon"],
    ["a number with a fraction", "429.5"],
  ])("failure injection header with %s is a clear 400 from the simulator, and injects nothing", async (_name, value) => {
    delete process.env.SEEDANCE_API_TOKEN;
    resetEnvForTests();
    const response = await handleSimulatorRequest(create({ authorization: `Bearer ${TOKEN}`, "x-simulator-fail": value }), ["seedance", "videos"]);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ success: false, error: { code: "bad_request" }, trace_id: expect.any(String) });
    expect(body.error.message).toMatch(/^x-simulator-fail must be one of the upstream's error statuses \(400, 401, 403, 404, 413, 429, 500\)/);
  });

  test("a prompt marker with a status that is not an upstream error is a 400 too", async () => {
    delete process.env.SEEDANCE_API_TOKEN;
    resetEnvForTests();
    const request = new Request("http://127.0.0.1/api/simulator/seedance/videos", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ model: "doubao-seedance-1-0-pro-250528", content: [{ type: "text", text: "a fox [sim:200]" }], async: true }),
    });
    const response = await handleSimulatorRequest(request, ["seedance", "videos"]);
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^The prompt marker \[sim:NNN\] must be one of/);
  });

  test("a retrieve that read a task just before its run finished does not run it a second time", async () => {
    delete process.env.SEEDANCE_API_TOKEN;
    resetEnvForTests();
    const post = (path: string, body: unknown) =>
      handleSimulatorRequest(
        new Request(`http://127.0.0.1/api/simulator/seedance/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(body),
        }),
        ["seedance", path],
      );
    const created = await post("videos", { model: "doubao-seedance-1-0-pro-250528", content: [{ type: "text", text: "once" }], resolution: "480p", duration: 2, async: true });
    const { task_id: id } = (await created.json()) as { task_id: string };
    type Sim = { store: { load(id: string): Promise<{ status: string; finishedAt?: number } | null> }; inflight: Map<string, Promise<void>> };
    const sim = (globalThis as unknown as { seedanceSimulator: Sim }).seedanceSimulator;
    // The copy a retrieve holds when it read the file while the run was still going.
    const stale = await sim.store.load(id);
    expect(stale!.status).toBe("pending");
    await sim.inflight.get(id);
    const finished = await sim.store.load(id);
    expect(finished!.status).toBe("succeeded");
    // That retrieve gets to its next step only now, after the run has left the map.
    const load = sim.store.load.bind(sim.store);
    sim.store.load = async (taskId) => {
      sim.store.load = load;
      return taskId === id ? stale : load(taskId);
    };
    await post("tasks", { id, action: "retrieve" });
    await sim.inflight.get(id);
    expect((await sim.store.load(id))!.finishedAt).toBe(finished!.finishedAt);
  }, 60_000);

  test("unknown paths answer 404 no_api", async () => {
    delete process.env.SEEDANCE_API_TOKEN;
    resetEnvForTests();
    const response = await handleSimulatorRequest(
      new Request("http://127.0.0.1/api/simulator/seedance/other", { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } }),
      ["seedance", "other"],
    );
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("no_api");
  });
});
