import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import {
  claimGeneration,
  getGenerationById,
  getGenerationByIdempotencyKey,
  insertGenerationWithEvent,
  queuedRow,
  releaseGeneration,
} from "@/lib/db/queries";
import type { GenerationRow } from "@/lib/db/schema";
import type { CreateAdmission } from "@/lib/limits/create-limits";
import { MEDIA_PREFIX, toGeneration } from "@/lib/generations/dto";
import { assertSameRequest } from "@/lib/generations/idempotency";
import { decodeImageDataUrl, pixelProblem, sniffImage } from "@/lib/media/image-check";
import { imageSize } from "@/lib/media/probe";
import { LIMITS } from "@/lib/seedance/models";
import { toSeedanceRequest, type GenerationSpec } from "@/lib/seedance/schema";
import { SeedanceError } from "@/lib/seedance/errors";
import { callbackUrlFor } from "./callback-url";
import type { PipelineContext } from "./context";
import { whileHoldingLease } from "./lease";
import { updateGeneration, updateKnownGeneration } from "./transition";

export function newId(prefix = "g"): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

const SUBMIT_LEASE_MS = 60_000;
const submitLeaseMs = (ctx: PipelineContext) => ctx.config.submitLeaseMs ?? SUBMIT_LEASE_MS;
/** A create the upstream keeps refusing (429, connection refused) is given up after this long queued. */
const MAX_QUEUED_MS = 30 * 60_000;

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
    throw new AppError("invalid", "The image could not be decoded.", { fieldErrors: { [field]: ["The image could not be decoded: is the file damaged?"] } });
  }
  const problem = pixelProblem(size.width, size.height);
  if (problem) throw new AppError("invalid", problem, { fieldErrors: { [field]: [problem] } });
  return image;
}

async function storeInputImage(ctx: PipelineContext, url: string | undefined, checked: CheckedImage | null) {
  if (!checked) return url;
  const key = `inputs/${createHash("sha256").update(checked.bytes).digest("hex")}.${checked.ext}`;
  // Written even when the same image is stored already: that refreshes its age, so the collector
  // (lib/storage/gc.ts, which spares anything touched within the hour) cannot take an old,
  // unreferenced copy between here and the insert of the row that will refer to it.
  await ctx.storage.put(key, checked.bytes);
  return `${MEDIA_PREFIX}${key}`;
}

/** Stored image refs back into what the upstream accepts: data: URLs of our files. */
async function upstreamImageUrl(ctx: PipelineContext, ref: string): Promise<string> {
  if (!ref.startsWith(MEDIA_PREFIX)) return ref;
  const key = ref.slice(MEDIA_PREFIX.length);
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.storage.read(key)) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return `data:${sniffImage(bytes)?.mime ?? "image/png"};base64,${bytes.toString("base64")}`;
}

/**
 * Creates a generation: stores its input images, writes the row (and its creation event), and
 * submits it upstream before returning, so the row holds the upstream task id when the caller
 * gets it.
 * The same idempotency key returns the first generation instead of creating a second task.
 */
export async function createGeneration(
  ctx: PipelineContext,
  {
    spec,
    idempotencyKey,
    parentId,
    admit,
  }: {
    spec: GenerationSpec;
    idempotencyKey?: string;
    parentId?: string;
    /** The creation limits' re-check, run in the insert's transaction (`enforceCreateLimits`). */
    admit?: CreateAdmission["admit"];
  },
): Promise<{ row: GenerationRow; created: boolean }> {
  if (idempotencyKey) {
    const existing = await getGenerationByIdempotencyKey({ db: ctx.db, key: idempotencyKey });
    if (existing) return { row: existing, created: false };
  }
  if (parentId && !(await getGenerationById({ db: ctx.db, id: parentId }))) {
    throw new AppError("invalid", "The clip to continue from no longer exists.", { fieldErrors: { parentId: ["The clip to continue from no longer exists."] } });
  }
  // Both images are checked before either is stored: a rejected request writes nothing.
  const firstChecked = await checkInputImage(spec.firstFrame, "firstFrame");
  const lastChecked = await checkInputImage(spec.lastFrame, "lastFrame");
  const request: GenerationSpec = {
    ...spec,
    firstFrame: await storeInputImage(ctx, spec.firstFrame, firstChecked),
    lastFrame: await storeInputImage(ctx, spec.lastFrame, lastChecked),
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

/**
 * Sends one queued generation upstream (the create path, and the worker for rows a crash left
 * queued). Holds the row's lease for the call so no other worker (nor another operation of this
 * instance) submits it too; `leased` says the caller (the worker) already holds it.
 */
export async function submitGeneration(
  ctx: PipelineContext,
  id: string,
  {
    leased = false,
    claimed,
  }: {
    leased?: boolean;
    /** The row as the caller just wrote it, leased to this instance (the create path): not claimed again. */
    claimed?: GenerationRow;
  } = {},
): Promise<GenerationRow | null> {
  const owner = ctx.config.instanceId;
  const row = claimed ?? (await claimGeneration({ db: ctx.db, id, owner, leaseMs: submitLeaseMs(ctx), reentrant: leased }));
  if (!row || row.status !== "queued") {
    if (row) await releaseGeneration({ db: ctx.db, id, owner });
    return null;
  }
  try {
    const request = row.request;
    const body = toSeedanceRequest(
      {
        ...request,
        firstFrame: request.firstFrame ? await upstreamImageUrl(ctx, request.firstFrame) : undefined,
        lastFrame: request.lastFrame ? await upstreamImageUrl(ctx, request.lastFrame) : undefined,
      },
      { callbackUrl: callbackUrlFor(ctx.config, row.id, { taskLifetimeSec: request.execution_expires_after ?? LIMITS.expiresDefault }) },
    );
    // The lease is renewed while the call runs: the client's retries (bounded by its
    // `createBudgetMs`) plus one slow attempt could otherwise outlast it, and a create that may
    // still be in flight must never be sent again by anyone.
    const { taskId, traceId } = await whileHoldingLease(ctx, row.id, submitLeaseMs(ctx), () => ctx.upstream.createTask(body));
    const expiresAfter = request.execution_expires_after ?? LIMITS.expiresDefault;
    const now = Date.now();
    // Written before the caller gets its answer: a client that saw "submitted" can rely on the
    // task id being stored, whatever happens to this process next.
    const updated = await updateKnownGeneration(ctx, {
      row,
      to: "submitted",
      patch: {
        upstreamTaskId: taskId,
        traceId: traceId ?? null,
        checkAttempts: 0,
        expiresAt: new Date(now + expiresAfter * 1000),
        nextCheckAt: new Date(now + ctx.config.pollIntervalMs),
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    ctx.wake();
    return updated;
  } catch (error) {
    if (error instanceof SeedanceError && error.nothingStarted && Date.now() - row.createdAt.getTime() < MAX_QUEUED_MS) {
      return requeue(ctx, row, error);
    }
    const failure =
      error instanceof SeedanceError
        ? { code: error.code, message: error.message, traceId: error.traceId ?? null }
        : error instanceof AppError
          ? { code: error.kind, message: error.message, traceId: null }
          : { code: "submit_failed", message: "The request could not be sent to SeeDance. Retry in a moment.", traceId: null };
    if (!(error instanceof SeedanceError) && !(error instanceof AppError)) log().error({ id, err: error }, "submit failed");
    return updateGeneration(ctx, {
      id,
      to: "failed",
      patch: { errorCode: failure.code, errorMessage: failure.message, traceId: failure.traceId, leaseOwner: null, leaseUntil: null },
    });
  }
}

/**
 * The upstream started nothing (it rate-limited us, or refused the connection): the row stays
 * queued and the worker sends it when the upstream's `Retry-After` (or a growing backoff) has
 * passed, so the caller gets its answer now instead of waiting minutes.
 */
async function requeue(ctx: PipelineContext, row: GenerationRow, error: SeedanceError): Promise<GenerationRow | null> {
  const attempts = row.checkAttempts + 1;
  const delayMs = Math.max(1000, Math.min(error.retryAfterMs ?? 2 ** attempts * 1000, 5 * 60_000));
  const nextCheckAt = new Date(Date.now() + delayMs);
  log().info({ id: row.id, code: error.code, delayMs }, "create refused upstream; queued to send again");
  await releaseGeneration({ db: ctx.db, id: row.id, owner: ctx.config.instanceId, patch: { checkAttempts: attempts, nextCheckAt } });
  return { ...row, checkAttempts: attempts, nextCheckAt, leaseOwner: null, leaseUntil: null };
}
