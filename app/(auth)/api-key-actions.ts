"use server";

import { z } from "zod";
import { API_KEY_NAME_MAX, type ApiKeySummary } from "@/lib/dto/api-key";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { authEnabled, requireActionSession } from "@/lib/http/gate";
import { AppError, issueText, type ActionResult } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/errors/zod";
import { actionFailure } from "@/lib/http/errors";
import { appContext } from "@/lib/app/context";
import { log } from "@/lib/log";

const createApiKeySchema = z.object({
  name: z.string().trim().min(1, { error: issueText("api_key_name_required") }).max(API_KEY_NAME_MAX, { error: issueText("api_key_name_too_long", { max: API_KEY_NAME_MAX }) }),
});
const revokeApiKeySchema = z.object({ id: z.string().regex(/^key_[A-Za-z0-9_-]{1,40}$/, { error: issueText("api_key_id_invalid") }) });

export type CreateApiKeyState = ActionResult<{ key: ApiKeySummary; secret: string }> | { ok?: undefined };

/**
 * Keys are managed with a signed-in browser's session only: actions read the cookie, never an
 * Authorization header, so a key cannot make or revoke keys. Without STUDIO_PASSWORD there is
 * no gate for a key to open, and no keys.
 */
async function requireKeyManager(): Promise<void> {
  if (!authEnabled()) throw new AppError("api_keys_need_password");
  await requireActionSession();
}

const failure = (error: unknown, what: string) => actionFailure(error, { what });

export async function createApiKeyAction(_previous: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  try {
    await requireKeyManager();
    const parsed = createApiKeySchema.safeParse({ name: form.get("name") ?? "" });
    if (!parsed.success) throw new AppError("fields_invalid", {}, { fieldErrors: fieldErrorsFromZod(parsed.error) });
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
    if (!parsed.success) throw new AppError("fields_invalid", {}, { fieldErrors: fieldErrorsFromZod(parsed.error) });
    if (!(await revokeApiKey((await appContext()).db, parsed.data))) throw new AppError("api_key_not_found");
    log().info({ keyId: parsed.data.id }, "api key revoked");
    return { ok: true, data: parsed.data };
  } catch (error) {
    return failure(error, "revoke api key");
  }
}
