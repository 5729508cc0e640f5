import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { scrubFromLogs } from "@/lib/log";
import type { Db } from "./client";
import { appSecrets } from "./schema";

/**
 * A secret every instance on one database shares (callback key, session key, simulator token),
 * made once at random. Each is added to the values logs are scrubbed of as it is loaded.
 */
export async function sharedSecret({ db, name }: { db: Db; name: string }): Promise<string> {
  await db.insert(appSecrets).values({ name, value: randomBytes(32).toString("base64url") }).onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  scrubFromLogs(row!.value);
  return row!.value;
}
