import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { connection } from "@/lib/db/client";
import { sharedSecret } from "@/lib/db/secrets";
import { env } from "@/lib/env";
import { createSeedanceClient } from "@/lib/seedance/client";
import { simulatorToken } from "@/lib/simulator/token";
import { fsStorage } from "@/lib/storage/fs";
import { s3Storage } from "@/lib/storage/s3";
import type { AppContext } from "@/lib/context";
import { broadcasterFor, eventTailFor, listenForEvents } from "@/lib/jobs/event-fanout";
import { EventBus } from "@/lib/jobs/events";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { startExportLoop } from "@/lib/storyboards/export";
import { startInputGc } from "@/lib/jobs/input-gc";

interface AppState {
  ctx: Promise<AppContext>;
  worker?: Worker;
  exports?: { wake(): void; stop(): Promise<void> };
}

/** Asks the storyboard export loop to look for work now (after an export is requested). */
export function wakeExports() {
  globalForApp.seedanceApp?.exports?.wake();
}

const globalForApp = globalThis as unknown as { seedanceApp?: AppState };

async function buildContext(): Promise<AppContext> {
  const config = env();
  const conn = await connection();
  const bus = new EventBus();
  const tail = await eventTailFor(conn, bus);
  let worker: Worker | undefined;
  const ctx: AppContext = {
    db: conn.db,
    // One bucket for every instance (S3_BUCKET), else this machine's DATA_DIR/media.
    storage: config.storage.kind === "s3" ? s3Storage(config.storage) : fsStorage(config.mediaDir),
    upstream: createSeedanceClient(
      config.useSimulator ? { ...config.upstream, token: await simulatorToken((name) => sharedSecret({ db: conn.db, name })) } : config.upstream,
    ),
    bus,
    config: {
      callbackBaseUrl: config.callbackBaseUrl,
      // Where the upstream fetches reference media: the same public (or, with the simulator, internal) base.
      mediaBaseUrl: config.callbackBaseUrl,
      callbackSecret: await sharedSecret({ db: conn.db, name: "callback-hmac" }),
      pollIntervalMs: config.pollIntervalMs,
      maxClipBytes: config.maxClipBytes,
      trustedMediaOrigins: config.useSimulator ? [new URL(config.internalBaseUrl).origin] : [],
      allowPrivateMedia: config.allowPrivateUpstream,
      instanceId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    },
    broadcast: broadcasterFor(conn, tail),
    wake: () => worker?.wake(),
  };
  await listenForEvents(conn, tail);
  if (!config.workerDisabled) {
    worker = startWorker(ctx);
    globalForApp.seedanceApp!.worker = worker;
    // Storyboard film exports: their own small loop (lib/storyboards/export.ts), leases on the storyboards table.
    globalForApp.seedanceApp!.exports = startExportLoop(ctx);
    startInputGc(ctx); // hourly: input images no clip refers to any more (lib/jobs/input-gc.ts)
  }
  return ctx;
}

/** The app's pipeline (database, storage, upstream client, event bus, worker), built once. */
export function appContext(): Promise<AppContext> {
  if (!globalForApp.seedanceApp) {
    const state: AppState = { ctx: Promise.resolve(undefined as never) };
    globalForApp.seedanceApp = state;
    state.ctx = buildContext().catch((error) => {
      globalForApp.seedanceApp = undefined;
      throw error;
    });
  }
  return globalForApp.seedanceApp.ctx;
}
