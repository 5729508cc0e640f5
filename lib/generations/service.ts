import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { deleteGenerationRow, getGenerationById, getGenerationByIdempotencyKey, listGenerations, usageSince } from "@/lib/db/queries";
import { GENERATION_STATUSES } from "@/lib/db/schema";
import { clipKeys } from "@/lib/jobs/download";
import type { PipelineContext } from "@/lib/jobs/context";
import { createGeneration } from "@/lib/jobs/submit";
import { updateGeneration } from "@/lib/jobs/transition";
import { isTerminal } from "@/lib/jobs/machine";
import { enforceCreateLimits, type ClientIdentity, type CreateAdmission, type CreateLimits } from "@/lib/limits/create-limits";
import { MODEL_IDS } from "@/lib/seedance/models";
import { fieldErrorsOf, generationSpecSchema, type GenerationSpec } from "@/lib/seedance/schema";
import { toGeneration, type Generation } from "./dto";
import { assertSameRequest } from "./idempotency";
import { isStorableText } from "@/lib/text";

export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, { error: "Idempotency key must be 8–128 letters, digits or _.:-" });

/** Parses a spec (with inline flags) or throws an AppError with field errors. */
export function parseSpec(input: unknown): GenerationSpec {
  const parsed = generationSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid", "Some fields need fixing.", { fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

/**
 * Creates a generation. With `caller`, the creation limits (per-client rate, unfinished-task cap,
 * daily budget) apply first; a retry with an idempotency key already used is answered from
 * the database without counting again.
 */
export async function createFromSpec(
  ctx: PipelineContext,
  input: { spec: GenerationSpec; idempotencyKey?: string; parentId?: string },
  /** A request from outside: its identity, and the limits checked before anything is written. */
  caller?: { client: ClientIdentity; limits: CreateLimits },
): Promise<{ generation: Generation; created: boolean }> {
  let admit: CreateAdmission["admit"] | undefined;
  if (caller) {
    const existing = input.idempotencyKey ? await getGenerationByIdempotencyKey({ db: ctx.db, key: input.idempotencyKey }) : null;
    if (existing) {
      assertSameRequest(existing, input);
      return { generation: toGeneration(existing), created: false };
    }
    // Checked now (before images are stored) and again inside the insert's transaction.
    ({ admit } = await enforceCreateLimits(ctx.db, caller.client, caller.limits));
  }
  const { row, created } = await createGeneration(ctx, { ...input, admit });
  return { generation: toGeneration(row), created };
}

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
  cursor: cursorSchema.optional(),
});
export type ListQuery = z.input<typeof listQuerySchema>;

export function encodeCursor(g: Generation): string {
  return Buffer.from(JSON.stringify([g.createdAt, g.id])).toString("base64url");
}

export async function listPage(ctx: PipelineContext, query: Record<string, string | undefined>) {
  const parsed = listQuerySchema.safeParse(query);
  if (!parsed.success) throw new AppError("invalid", "Invalid list query.", { fieldErrors: fieldErrorsOf(parsed.error) });
  const { limit, status, model, q, cursor } = parsed.data;
  const { rows, hasMore } = await listGenerations({ db: ctx.db, filter: { limit, status, model, q: q || undefined, cursor } });
  const items = rows.map(toGeneration);
  return { items, nextCursor: hasMore && items.length ? encodeCursor(items.at(-1)!) : null };
}

export async function getOne(ctx: PipelineContext, id: string): Promise<Generation> {
  const row = await getGenerationById({ db: ctx.db, id });
  if (!row) throw new AppError("not_found", "No such generation.");
  return toGeneration(row);
}

/** Deletes a generation and its files. An unfinished task is cancelled first, so no worker picks it up. */
export async function deleteOne(ctx: PipelineContext, id: string): Promise<void> {
  const row = await getGenerationById({ db: ctx.db, id });
  if (!row) throw new AppError("not_found", "No such generation.");
  if (!isTerminal(row.status)) await updateGeneration(ctx, { id, to: "cancelled", patch: { errorCode: "cancelled", errorMessage: "Deleted." } });
  await deleteGenerationRow({ db: ctx.db, id });
  await ctx.storage.deletePrefix(clipKeys(id).prefix);
}

export interface UsageSummary {
  today: { tokens: number; clips: number };
  month: { tokens: number; clips: number };
}

/** What the upstream reported as used, today and this month (UTC), for the running totals. */
export async function usageSummary(ctx: PipelineContext): Promise<UsageSummary> {
  const now = new Date();
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const [today, thisMonth] = await Promise.all([usageSince({ db: ctx.db, since: day }), usageSince({ db: ctx.db, since: month })]);
  return { today, month: thisMonth };
}
