import "server-only";
import { coded } from "@/lib/errors/codes";
import { errorColumns, NO_ERROR } from "./error-columns";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { claimGeneration, releaseGeneration } from "@/lib/db/generations";
import type { GenerationRow } from "@/lib/db/schema";
import { MEDIA_PREFIX } from "@/lib/storage/keys";
import { sniffImage } from "@/lib/media/image-check";
import { LIMITS } from "@/lib/seedance/models";
import { toSeedanceRequest } from "@/lib/seedance/schema";
import { SeedanceError } from "@/lib/seedance/errors";
import { callbackUrlFor } from "./callback-url";
import { signedMediaUrl } from "@/lib/security/signed-media-url";
import type { AppContext } from "@/lib/context";
import { whileHoldingLease } from "./lease";
import { updateGeneration, updateKnownGeneration } from "./transition";

const SUBMIT_LEASE_MS = 60_000;
/** The lease a create holds on its row while sending it (born leased, so no worker takes it first). */
export const submitLeaseMs = (ctx: AppContext) => ctx.config.submitLeaseMs ?? SUBMIT_LEASE_MS;
/** A create the upstream keeps refusing (429, connection refused) is given up after this long queued. */
const MAX_QUEUED_MS = 30 * 60_000;

/** Stored image refs back into what the upstream accepts: data: URLs of our files. */
async function upstreamImageUrl(ctx: AppContext, ref: string): Promise<string> {
  if (!ref.startsWith(MEDIA_PREFIX)) return ref;
  const key = ref.slice(MEDIA_PREFIX.length);
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.storage.read(key)) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return `data:${sniffImage(bytes)?.mime ?? "image/png"};base64,${bytes.toString("base64")}`;
}

/**
 * A stored reference (`media:refs/...`, `media:clips/<id>/video.mp4`) as the signed link the
 * upstream fetches it by, valid as long as the task may run (decision 2). Without a public base
 * (the create path refuses that first) the request cannot be sent.
 */
function upstreamReferenceUrl(ctx: AppContext, ref: string, lifetimeSec: number): string {
  if (!ref.startsWith(MEDIA_PREFIX)) return ref;
  if (!ctx.config.mediaBaseUrl) throw new AppError("public_base_url_missing");
  return signedMediaUrl({ baseUrl: ctx.config.mediaBaseUrl, secret: ctx.config.callbackSecret, key: ref.slice(MEDIA_PREFIX.length), lifetimeSec });
}

/**
 * Sends one queued generation upstream (the create path, and the worker for rows a crash left
 * queued). Holds the row's lease for the call so no other worker (nor another operation of this
 * instance) submits it too; `leased` says the caller (the worker) already holds it.
 */
export async function submitGeneration(
  ctx: AppContext,
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
    const lifetimeSec = request.execution_expires_after ?? LIMITS.expiresDefault;
    const body = toSeedanceRequest(
      {
        ...request,
        firstFrame: request.firstFrame ? await upstreamImageUrl(ctx, request.firstFrame) : undefined,
        lastFrame: request.lastFrame ? await upstreamImageUrl(ctx, request.lastFrame) : undefined,
      },
      {
        callbackUrl: callbackUrlFor(ctx.config, row.id, { taskLifetimeSec: lifetimeSec }),
        referenceUrl: (ref) => upstreamReferenceUrl(ctx, ref, lifetimeSec),
      },
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
        // A note left while it waited for the upstream (upstream_busy) no longer applies.
        ...NO_ERROR,
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
    // An expected failure keeps its code (the upstream's, mapped; a full disk); anything else is logged and shown as submit_failed.
    const failure = error instanceof AppError ? error.coded : coded("submit_failed");
    if (!(error instanceof AppError)) log().error({ id, err: error }, "submit failed");
    return updateGeneration(ctx, {
      id,
      to: "failed",
      patch: { ...errorColumns(failure), traceId: error instanceof AppError ? (error.traceId ?? null) : null, leaseOwner: null, leaseUntil: null },
    });
  }
}

/**
 * The upstream started nothing (it rate-limited us, or refused the connection): the row stays
 * queued and the worker sends it when the upstream's `Retry-After` (or a growing backoff) has
 * passed, so the caller gets its answer now instead of waiting minutes.
 */
async function requeue(ctx: AppContext, row: GenerationRow, error: SeedanceError): Promise<GenerationRow | null> {
  const attempts = row.checkAttempts + 1;
  const delayMs = Math.max(1000, Math.min(error.retryAfterMs ?? 2 ** attempts * 1000, 5 * 60_000));
  const nextCheckAt = new Date(Date.now() + delayMs);
  log().info({ id: row.id, code: error.code, delayMs }, "create refused upstream; queued to send again");
  // The card says why it waits (an event, so every open gallery shows it); the note goes once it is sent.
  const waiting = await updateGeneration(ctx, {
    id: row.id,
    patch: { checkAttempts: attempts, nextCheckAt, ...errorColumns(coded("upstream_busy")), leaseOwner: null, leaseUntil: null },
  });
  return waiting ?? { ...row, checkAttempts: attempts, nextCheckAt, leaseOwner: null, leaseUntil: null };
}
