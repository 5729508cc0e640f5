"use server";

import { requireActionSession } from "@/lib/http/gate";
import { env } from "@/lib/env";
import { AppError, coded, type ActionResult } from "@/lib/errors";
import { appContext } from "@/lib/app/context";
import { createFromSpec, idempotencyKeySchema, parseSpec } from "@/lib/generations/create";
import { deleteOne } from "@/lib/generations/delete";
import { setFavorite } from "@/lib/generations/favorite";
import type { Generation } from "@/lib/dto/generation";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { createShare, revokeShare } from "@/lib/shares/service";
import { actionFailure } from "@/lib/http/errors";

const failure = (error: unknown) => actionFailure(error);

/** The studio form's submit: the same schema as the browser, then the same pipeline as the API. */
export async function createGenerationAction(input: {
  /** Typed for callers; parsed again here like everything a client sends. */
  spec: GenerationSpec;
  idempotencyKey: string;
  parentId?: string;
}): Promise<ActionResult<Generation>> {
  try {
    const client = await requireActionSession();
    if (typeof input !== "object" || input === null) throw new AppError("request_missing", {}, { fieldErrors: { _: [coded("request_missing")] } });
    const spec = parseSpec(input.spec);
    const key = idempotencyKeySchema.safeParse(input.idempotencyKey);
    if (!key.success) throw new AppError("request_key_missing", {}, { fieldErrors: { idempotencyKey: [coded("request_key_missing")] } });
    const parentId = typeof input.parentId === "string" && input.parentId ? input.parentId : undefined;
    const { generation } = await createFromSpec(await appContext(), { spec, idempotencyKey: key.data, parentId }, { client, limits: env().limits });
    return { ok: true, data: generation };
  } catch (error) {
    return failure(error);
  }
}

export async function deleteGenerationAction(input: { id: unknown }): Promise<ActionResult<{ id: string }>> {
  try {
    await requireActionSession();
    if (typeof input?.id !== "string") throw new AppError("id_missing");
    await deleteOne(await appContext(), input.id);
    return { ok: true, data: { id: input.id } };
  } catch (error) {
    return failure(error);
  }
}

/** The gallery's star: marks or unmarks a clip as a favourite. */
export async function setFavoriteAction(input: { id: unknown; favorite: unknown }): Promise<ActionResult<Generation>> {
  try {
    await requireActionSession();
    if (typeof input?.id !== "string") throw new AppError("id_missing");
    return { ok: true, data: await setFavorite(await appContext(), { id: input.id, favorite: input.favorite === true }) };
  } catch (error) {
    return failure(error);
  }
}

export async function createShareAction(input: { generationIds: unknown; hidePrompt?: unknown; title?: unknown }): Promise<ActionResult<{ id: string; path: string }>> {
  try {
    await requireActionSession();
    const share = await createShare(await appContext(), { input: input ?? {} });
    return { ok: true, data: { id: share.id, path: share.path } };
  } catch (error) {
    return failure(error);
  }
}

export async function revokeShareAction(input: { id: unknown }): Promise<ActionResult<{ id: string }>> {
  try {
    await requireActionSession();
    if (typeof input?.id !== "string") throw new AppError("id_missing");
    await revokeShare(await appContext(), { id: input.id });
    return { ok: true, data: { id: input.id } };
  } catch (error) {
    return failure(error);
  }
}
