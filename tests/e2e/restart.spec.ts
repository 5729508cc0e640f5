import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// A server of our own (not the shared webServer), so it can be killed with SIGKILL mid-generation.
const PORT = Number(process.env.E2E_RESTART_PORT ?? 3231);
const BASE = `http://127.0.0.1:${PORT}`;

function startServer(dataDir: string): ChildProcess {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, SIMULATOR_DELAY_MS: "6000", POLL_INTERVAL_MS: "500", SEEDANCE_API_TOKEN: "", DATABASE_URL: "" },
    detached: true,
    stdio: "ignore",
  });
  return child;
}

async function waitHealthy() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("server did not become healthy");
}

function killHard(child: ChildProcess) {
  // The whole process group: next may run its server in a child process.
  process.kill(-child.pid!, "SIGKILL");
}

test("kill -9 mid-generation, restart, and the clip still ends stored", async () => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "seedance-restart-"));
  let server = startServer(dataDir);
  try {
    await waitHealthy();
    const created = await fetch(`${BASE}/api/generations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: "Survives a crash" }], resolution: "480p", duration: 2 }),
    });
    expect(created.status).toBe(201);
    const generation = await created.json();
    expect(generation.status).toBe("submitted");

    killHard(server);
    await new Promise((r) => setTimeout(r, 1000));
    await expect(fetch(`${BASE}/api/health`)).rejects.toThrow();

    server = startServer(dataDir);
    await waitHealthy();
    let final: { status: string; videoUrl: string | null; width: number } | undefined;
    for (let i = 0; i < 120; i++) {
      final = await (await fetch(`${BASE}/api/generations/${generation.id}`)).json();
      if (final!.status === "succeeded" || final!.status === "failed") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(final!.status).toBe("succeeded");
    expect(final!.width).toBe(864);
    const video = await fetch(`${BASE}${final!.videoUrl}`);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  } finally {
    try {
      killHard(server);
    } catch {
      // already gone
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
