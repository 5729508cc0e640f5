import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { sql } from "drizzle-orm";
import { connection, type Db } from "@/lib/db/client";
import { appSecrets, generationEvents } from "@/lib/db/schema";
import { eq } from "drizzle-orm";
import { env } from "@/lib/env";
import { createSeedanceClient } from "@/lib/seedance/client";
import { fsStorage } from "@/lib/storage/fs";
import type { Generation } from "@/lib/generations/dto";
import type { PipelineContext } from "./context";
import { EventBus, NOTIFY_CHANNEL } from "./events";
import { startWorker, type Worker } from "./worker";

/** A secret every instance shares, created once in the database. */
export async function sharedSecret(db: Db, name: string): Promise<string> {
  await db.insert(appSecrets).values({ name, value: randomBytes(32).toString("base64url") }).onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  return row!.value;
}

interface AppState {
  ctx: Promise<PipelineContext>;
  worker?: Worker;
}

const globalForApp = globalThis as unknown as { seedanceApp?: AppState };

async function buildContext(): Promise<PipelineContext> {
  const config = env();
  const conn = await connection();
  const bus = new EventBus();
  let worker: Worker | undefined;
  const ctx: PipelineContext = {
    db: conn.db,
    storage: fsStorage(config.mediaDir),
    upstream: createSeedanceClient(config.upstream),
    bus,
    config: {
      callbackBaseUrl: config.callbackBaseUrl,
      callbackSecret: await sharedSecret(conn.db, "callback-hmac"),
      pollIntervalMs: config.pollIntervalMs,
      maxClipBytes: config.maxClipBytes,
      trustedMediaOrigins: config.useSimulator ? [new URL(config.internalBaseUrl).origin] : [],
      allowPrivateMedia: config.allowPrivateUpstream,
      instanceId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    },
    async broadcast(event) {
      if (conn.kind === "postgres") {
        // NOTIFY payloads are small: send the event id, every instance reads the row.
        await conn.db.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${String(event.eventId)})`);
      } else {
        bus.publish(event);
      }
    },
    wake: () => worker?.wake(),
  };
  if (conn.listen) {
    await conn.listen(NOTIFY_CHANNEL, async (payload) => {
      const eventId = Number(payload);
      const [row] = await conn.db.select().from(generationEvents).where(eq(generationEvents.id, eventId));
      if (row) bus.publish({ eventId, generation: row.payload as Generation });
    });
  }
  if (!config.workerDisabled) {
    worker = startWorker(ctx);
    globalForApp.seedanceApp!.worker = worker;
  }
  return ctx;
}

/** The app's pipeline (database, storage, upstream client, event bus, worker), built once. */
export function appContext(): Promise<PipelineContext> {
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
