import { afterEach, describe, expect, test } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { handleSimulatorRequest } from "@/lib/simulator/handler";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

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
    const response = await handleSimulatorRequest(create({ authorization: "Bearer seedance-simulator-token" }), ["seedance", "videos"]);
    expect(response.status).toBe(404);
    const file = await handleSimulatorRequest(new Request("http://127.0.0.1/api/simulator/files/x.mp4"), ["files", "x.mp4"]);
    expect(file.status).toBe(404);
  });

  test.each([
    ["no authorization header", {}],
    ["a wrong token", { authorization: "Bearer nope" }],
    ["a token without Bearer", { authorization: "seedance-simulator-token" }],
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
    const response = await handleSimulatorRequest(create({ authorization: "Bearer seedance-simulator-token", "x-simulator-fail": value }), ["seedance", "videos"]);
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
    if (status === 429) expect(response.headers.get("retry-after")).toBe("1");
  });

  test("unknown paths answer 404 no_api", async () => {
    delete process.env.SEEDANCE_API_TOKEN;
    resetEnvForTests();
    const response = await handleSimulatorRequest(
      new Request("http://127.0.0.1/api/simulator/seedance/other", { method: "POST", headers: { authorization: "Bearer seedance-simulator-token" } }),
      ["seedance", "other"],
    );
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("no_api");
  });
});
