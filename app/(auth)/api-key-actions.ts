"use server";

import { z } from "zod";
import { API_KEY_NAME_MAX } from "@/lib/dto/api-key";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { type ApiKeySummary } from "@/lib/dto/api-key";
import { authEnabled, requireActionSession } from "@/lib/http/gate";
import { AppError, type ActionResult } from "@/lib/errors";
import { appContext } from "@/lib/app/context";
import { log } from "@/lib/log";

const createApiKeySchema = z.object({
  name: z.string().trim().min(1, { error: "Name the key (what will use it)." }).max(API_KEY_NAME_MAX, { error: `At most ${API_KEY_NAME_MAX} characters.` }),
});
const revokeApiKeySchema = z.object({ id: z.string().regex(/^key_[A-Za-z0-9_-]{1,40}$/, { error: "Not a key id." }) });

export type CreateApiKeyState = ActionResult<{ key: ApiKeySummary; secret: string }> | { ok?: undefined };

/**
 * Keys are managed with a signed-in browser's session only: actions read the cookie, never an
 * Authorization header, so a key cannot make or revoke keys. Without STUDIO_PASSWORD there is
 * no gate for a key to open, and no keys.
 */
async function requireKeyManager(): Promise<void> {
  if (!authEnabled()) throw new AppError("forbidden", "API keys need STUDIO_PASSWORD: without it the API is open to anyone who can reach it.");
  await requireActionSession();
}

function failure(error: unknown, what: string): { ok: false; kind: AppError["kind"]; message: string; fieldErrors?: Record<string, string[]> } {
  if (error instanceof AppError) return { ok: false, kind: error.kind, message: error.message, fieldErrors: error.extra.fieldErrors };
  log().error({ err: error }, `${what} failed`);
  return { ok: false, kind: "internal", message: "Something went wrong on our side. Try again." };
}

export async function createApiKeyAction(_previous: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  try {
    await requireKeyManager();
    const parsed = createApiKeySchema.safeParse({ name: form.get("name") ?? "" });
    if (!parsed.success) {
      return { ok: false, kind: "invalid", message: "Some fields need fixing.", fieldErrors: z.flattenError(parsed.error).fieldErrors };
    }
    const made = await createApiKey((await appContext()).db, parsed.data);
    log().info({ keyId: made.key.id }, "api key created");
    return { ok: true, data: made };
  } catch (error) {
    return failure(error, "create api key");
  }
}

export async function listApiKeysAction(): Promise<ActionResult<ApiKeySummary[]>> {
  try {
    await requireKeyManager();
    return { ok: true, data: await listApiKeys((await appContext()).db) };
  } catch (error) {
    return failure(error, "list api keys");
  }
}

export async function revokeApiKeyAction(form: FormData): Promise<ActionResult<{ id: string }>> {
  try {
    await requireKeyManager();
    const parsed = revokeApiKeySchema.safeParse({ id: form.get("id") });
    if (!parsed.success) return { ok: false, kind: "invalid", message: "Some fields need fixing.", fieldErrors: z.flattenError(parsed.error).fieldErrors };
    if (!(await revokeApiKey((await appContext()).db, parsed.data))) throw new AppError("not_found", "That key does not exist or was already revoked.");
    log().info({ keyId: parsed.data.id }, "api key revoked");
    return { ok: true, data: parsed.data };
  } catch (error) {
    return failure(error, "revoke api key");
  }
}
