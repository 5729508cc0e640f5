import "server-only";
import type { AppContext } from "@/lib/context";
import { setGenerationFavorite } from "@/lib/db/generations";
import { toGeneration, type Generation } from "@/lib/dto/generation";
import { AppError } from "@/lib/errors";

/** Marks or unmarks a clip as a favourite (the gallery's star and its "Favourites" filter). */
export async function setFavorite(ctx: AppContext, { id, favorite }: { id: string; favorite: boolean }): Promise<Generation> {
  const row = await setGenerationFavorite({ db: ctx.db, id, favorite });
  if (!row) throw new AppError("generation_not_found");
  return toGeneration(row);
}
