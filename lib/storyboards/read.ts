import "server-only";
import type { Db } from "@/lib/db/client";
import { getGenerationsByIds } from "@/lib/db/generations";
import type { StoryboardRow } from "@/lib/db/schema";
import { toStoryboardDto, type StoryboardDto } from "@/lib/dto/storyboard";
import { exportIsStuck } from "./export-lease";

/** The DTOs of `rows`, with the clips their items point at read in one query. */
export async function storyboardDtosOf({ db, rows }: { db: Db; rows: readonly StoryboardRow[] }): Promise<StoryboardDto[]> {
  const ids = [...new Set(rows.flatMap((r) => r.items.map((i) => i.generationId)))];
  const clips = new Map((await getGenerationsByIds({ db, ids })).map((c) => [c.id, c]));
  return rows.map((row) => toStoryboardDto(row, clips, { stuck: exportIsStuck(row) }));
}

export async function storyboardDtoOf({ db, row }: { db: Db; row: StoryboardRow }): Promise<StoryboardDto> {
  return (await storyboardDtosOf({ db, rows: [row] }))[0]!;
}
