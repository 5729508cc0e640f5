import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { getGenerationById, getGenerationByIdempotencyKey, insertGenerationWithEvent, queuedRow } from "@/lib/db/generations";
import type { GenerationRow } from "@/lib/db/schema";
import { toGeneration, type Generation } from "@/lib/dto/generation";
import { AppError, coded, issueText } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/errors/zod";
import { newId } from "@/lib/ids";
import { submitGeneration, submitLeaseMs } from "@/lib/jobs/submit";
import { enforceCreateLimits, type ClientIdentity, type CreateAdmission, type CreateLimits } from "@/lib/limits/create-limits";
import { decodeImageDataUrl, pixelProblem } from "@/lib/media/image-check";
import { imageSize } from "@/lib/media/probe";
import { generationSpecSchema, type GenerationSpec } from "@/lib/seedance/schema";
import { inputImageKey, MEDIA_PREFIX } from "@/lib/storage/keys";
import { assertSameRequest } from "./idempotency";
import { checkReferences } from "./references";
import { safetyIdentifier } from "./safety-id";

/**
 * The one place a generation is created, for the form's server action, the JSON API and the
 * tools: limits, the idempotency key (checked once), the parent check, the image checks, storage,
 * the insert with its creation event, and the first send upstream (lib/jobs/submit.ts).
 */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, { error: issueText("idempotency_key_invalid") });

/** Parses a spec (with inline flags) or throws an AppError with field errors. */
export function parseSpec(input: unknown): GenerationSpec {
  const parsed = generationSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("fields_invalid", {}, { fieldErrors: fieldErrorsFromZod(parsed.error) });
  }
  return parsed.data;
}

/**
 * Creates a generation. With `caller`, the creation limits (per-client rate, unfinished-task cap,
 * daily budget) apply first; a retry with an idempotency key already used is answered from
 * the database without counting again.
 */
export async function createFromSpec(
  ctx: AppContext,
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
  const { row, created } = await createGeneration(ctx, { ...input, admit, client: caller?.client });
  return { generation: toGeneration(row), created };
}


type CheckedImage = { bytes: Buffer; ext: string };

/**
 * Decodes a data: URL and checks its bytes and pixels from a private temp file, so a rejected
 * image never reaches storage. https URLs stay as they are (the upstream fetches them).
 */
async function checkInputImage(url: string | undefined, field: "firstFrame" | "lastFrame"): Promise<CheckedImage | null> {
  if (!url || !url.startsWith("data:")) return null;
  const image = decodeImageDataUrl(url, field);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "seedance-input-"));
  let size: { width: number; height: number } | null;
  try {
    const file = path.join(dir, `image.${image.ext}`);
    await fs.promises.writeFile(file, image.bytes);
    size = await imageSize(file).catch(() => null);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
  if (!size) {
    throw new AppError("image_unreadable", {}, { fieldErrors: { [field]: [coded("image_unreadable")] } });
  }
  const problem = pixelProblem(size.width, size.height);
  if (problem) throw AppError.from(problem, { fieldErrors: { [field]: [problem] } });
  return image;
}

async function storeInputImage(ctx: AppContext, url: string | undefined, checked: CheckedImage | null) {
  if (!checked) return url;
  const key = inputImageKey(createHash("sha256").update(checked.bytes).digest("hex"), checked.ext);
  // Written even when the same image is stored already: that refreshes its age, so the collector
  // (lib/jobs/input-gc.ts, which spares anything touched within the hour) cannot take an old,
  // unreferenced copy between here and the insert of the row that will refer to it.
  await ctx.storage.put(key, checked.bytes);
  return `${MEDIA_PREFIX}${key}`;
}

/**
 * Creates a generation: stores its input images, writes the row (and its creation event), and
 * submits it upstream before returning, so the row holds the upstream task id when the caller
 * gets it.
 * The same idempotency key returns the first generation instead of creating a second task.
 */
export async function createGeneration(
  ctx: AppContext,
  {
    spec,
    idempotencyKey,
    parentId,
    admit,
    client,
  }: {
    spec: GenerationSpec;
    /** Who asks: their session makes the request's anonymous `safety_identifier` (decision 7). */
    client?: ClientIdentity;
    idempotencyKey?: string;
    parentId?: string;
    /** The creation limits' re-check, run in the insert's transaction (`enforceCreateLimits`). */
    admit?: CreateAdmission["admit"];
  },
): Promise<{ row: GenerationRow; created: boolean }> {
  if (parentId && !(await getGenerationById({ db: ctx.db, id: parentId }))) {
    throw new AppError("parent_missing", {}, { fieldErrors: { parentId: [coded("parent_missing")] } });
  }
  // Every image and reference is checked before any is stored: a rejected request writes nothing.
  const firstChecked = await checkInputImage(spec.firstFrame, "firstFrame");
  const lastChecked = await checkInputImage(spec.lastFrame, "lastFrame");
  const references = await checkReferences(ctx, spec);
  const request: GenerationSpec = {
    ...spec,
    firstFrame: await storeInputImage(ctx, spec.firstFrame, firstChecked),
    lastFrame: await storeInputImage(ctx, spec.lastFrame, lastChecked),
    ...(references ? await references.store() : {}),
    safety_identifier: safetyIdentifier(ctx.config.callbackSecret, client),
  };
  if (!request.firstFrame) delete request.firstFrame;
  if (!request.lastFrame) delete request.lastFrame;
  // Born leased to this request, so no worker can take the row before it is sent.
  const row = queuedRow({
    id: newId(),
    model: spec.model,
    prompt: spec.prompt,
    request,
    idempotencyKey: idempotencyKey ?? null,
    parentId: parentId ?? null,
    seedUsed: spec.seed !== undefined && spec.seed >= 0 ? spec.seed : null,
    leaseOwner: ctx.config.instanceId,
    leaseUntil: new Date(Date.now() + submitLeaseMs(ctx)),
  });
  const generation = toGeneration(row);
  const eventId = await insertGenerationWithEvent({ db: ctx.db, row, payload: generation, admit });
  if (eventId === null) {
    // Another request with the same idempotency key won the race.
    const existing = await getGenerationByIdempotencyKey({ db: ctx.db, key: idempotencyKey! });
    if (!existing) throw new Error("Insert conflicted but no row holds the idempotency key");
    assertSameRequest(existing, { spec, parentId });
    return { row: existing, created: false };
  }
  await ctx.broadcast({ eventId, generation });
  // The row was born leased to us, so it is not claimed again.
  const submitted = await submitGeneration(ctx, row.id, { leased: true, claimed: row });
  return { row: submitted ?? (await getGenerationById({ db: ctx.db, id: row.id })) ?? row, created: true };
}

