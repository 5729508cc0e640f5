import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { PipelineConfig } from "./context";

/** The per-generation secret in a callback URL: HMAC-SHA256 of the id under the app's key. */
export function callbackSignature(secret: string, id: string): string {
  return createHmac("sha256", secret).update(`callback:${id}`).digest("base64url");
}

export function callbackUrlFor(config: Pick<PipelineConfig, "callbackBaseUrl" | "callbackSecret">, id: string): string | undefined {
  if (!config.callbackBaseUrl) return undefined;
  return `${config.callbackBaseUrl}/api/callbacks/seedance/${encodeURIComponent(id)}?sig=${callbackSignature(config.callbackSecret, id)}`;
}

/** Constant-time check of a callback's signature. */
export function verifyCallbackSignature(secret: string, id: string, signature: string | null): boolean {
  if (!signature) return false;
  const expected = Buffer.from(callbackSignature(secret, id));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
