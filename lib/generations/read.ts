import "server-only";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { getGenerationById, listGenerations, usageSince } from "@/lib/db/generations";
import { GENERATION_STATUSES } from "@/lib/db/schema";
import { toGeneration, type Generation } from "@/lib/dto/generation";
import type { UsageSummary } from "@/lib/dto/usage";
import { AppError } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/errors/zod";
import { MODEL_IDS } from "@/lib/seedance/models";
import { isStorableText } from "@/lib/text";
import { startOfUtcDay, startOfUtcMonth } from "@/lib/time";

/** Reading generations: the gallery's pages, one clip, the usage totals. */

const cursorSchema = z.string().transform((value, ctx) => {
  try {
    const [time, id] = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as [string, string];
    const createdAt = new Date(time);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== "string" || !isStorableText(id)) throw new Error();
    return { createdAt, id };
  } catch {
    ctx.addIssue({ code: "custom", message: "Invalid cursor." });
    return z.NEVER;
  }
});

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  status: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.enum(GENERATION_STATUSES, { error: `status must be one of ${GENERATION_STATUSES.join(", ")}` })))
    .optional(),
  model: z.enum(MODEL_IDS).optional(),
  q: z.string().trim().max(200).refine(isStorableText, { error: "Search has a character that cannot be searched for (a NUL, or half of an emoji)." }).optional(),
  /** `1`: only the clips marked as favourites. */
  favorite: z.enum(["1"]).optional(),
  cursor: cursorSchema.optional(),
});
export type ListQuery = z.input<typeof listQuerySchema>;

export function encodeCursor(g: Generation): string {
  return Buffer.from(JSON.stringify([g.createdAt, g.id])).toString("base64url");
}

export async function listPage(ctx: AppContext, query: Record<string, string | undefined>) {
  const parsed = listQuerySchema.safeParse(query);
  if (!parsed.success) throw new AppError("list_query_invalid", {}, { fieldErrors: fieldErrorsFromZod(parsed.error) });
  const { limit, status, model, q, favorite, cursor } = parsed.data;
  const { rows, hasMore } = await listGenerations({ db: ctx.db, filter: { limit, status, model, q: q || undefined, favorite: favorite === "1", cursor } });
  const items = rows.map(toGeneration);
  return { items, nextCursor: hasMore && items.length ? encodeCursor(items.at(-1)!) : null };
}

export async function getOne(ctx: AppContext, id: string): Promise<Generation> {
  const row = await getGenerationById({ db: ctx.db, id });
  if (!row) throw new AppError("generation_not_found");
  return toGeneration(row);
}


/** What the upstream reported as used, today and this month (UTC), for the running totals. */
export async function usageSummary(ctx: AppContext): Promise<UsageSummary> {
  const now = new Date();
  const [today, thisMonth] = await Promise.all([
    usageSince({ db: ctx.db, since: startOfUtcDay(now) }),
    usageSince({ db: ctx.db, since: startOfUtcMonth(now) }),
  ]);
  return { today, month: thisMonth };
}
