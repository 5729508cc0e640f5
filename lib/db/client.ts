import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;

interface Connection {
  db: Db;
  kind: "pglite" | "postgres";
  /** Subscribe to a NOTIFY channel (PostgreSQL only; PGlite runs in one process). */
  listen?: (channel: string, onMessage: (payload: string) => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
}

const MIGRATIONS = path.join(process.cwd(), "lib/db/migrations");

// Drivers load lazily: an instance on PostgreSQL never pays for PGlite (about 270 MB of RSS).
async function connectPglite(dataDir: string | undefined): Promise<Connection> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return { db: db as unknown as Db, kind: "pglite", close: () => client.close() };
}

async function connectPostgres(url: string): Promise<Connection> {
  const { Pool, Client } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new Pool({ connectionString: url, max: 10 });
  const db = drizzle(pool, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  const listeners: InstanceType<typeof Client>[] = [];
  return {
    db,
    kind: "postgres",
    async listen(channel, onMessage) {
      const client = new Client({ connectionString: url });
      await client.connect();
      listeners.push(client);
      client.on("notification", (msg) => {
        if (msg.channel === channel && msg.payload) onMessage(msg.payload);
      });
      await client.query(`LISTEN "${channel.replace(/"/g, "")}"`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

/** Opens a connection for a given configuration (tests open their own). */
export function openDatabase(opts: { databaseUrl?: string; pgliteDir?: string }): Promise<Connection> {
  return opts.databaseUrl ? connectPostgres(opts.databaseUrl) : connectPglite(opts.pgliteDir);
}

const globalForDb = globalThis as unknown as { seedanceDb?: Promise<Connection> };

/** The app's one connection, kept on globalThis so hot reload does not open a second PGlite. */
export function connection(): Promise<Connection> {
  globalForDb.seedanceDb ??= openDatabase({
    databaseUrl: env().databaseUrl,
    pgliteDir: path.join(env().dataDir, "pglite"),
  }).catch((error) => {
    globalForDb.seedanceDb = undefined;
    throw error;
  });
  return globalForDb.seedanceDb;
}

export type { Connection };
