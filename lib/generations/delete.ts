import "server-only";
import { coded } from "@/lib/errors/codes";
import { errorColumns } from "@/lib/jobs/error-columns";
import type { AppContext } from "@/lib/context";
import { deleteGenerationRow, getGenerationById } from "@/lib/db/generations";
import { AppError } from "@/lib/errors";
import { isTerminal } from "@/lib/status";
import { updateGeneration } from "@/lib/jobs/transition";
import { clipKeys } from "@/lib/storage/keys";

/** Deletes a generation and its files. An unfinished task is cancelled first, so no worker picks it up. */
export async function deleteOne(ctx: AppContext, id: string): Promise<void> {
  const row = await getGenerationById({ db: ctx.db, id });
  if (!row) throw new AppError("generation_not_found");
  if (!isTerminal(row.status)) await updateGeneration(ctx, { id, to: "cancelled", patch: errorColumns(coded("cancelled")) });
  await deleteGenerationRow({ db: ctx.db, id });
  await ctx.storage.deletePrefix(clipKeys(id).prefix);
}

