import type { Db } from "@/lib/db/client";
import { generations, type NewGenerationRow } from "@/lib/db/schema";

/** Writes a row as a test's starting state; the app itself creates rows through createGeneration. */
export async function insertGeneration({ db, row }: { db: Db; row: NewGenerationRow }) {
  const [inserted] = await db.insert(generations).values(row).returning();
  return { row: inserted! };
}
