import "server-only";
import { createHmac } from "node:crypto";
import type { ClientIdentity } from "@/lib/limits/create-limits";
import { SAFETY_ID_MAX_CHARS } from "@/lib/seedance/models";

/**
 * The request's `safety_identifier` (decision 7): a keyed hash of the signed-in session, or of
 * this studio when there is no gate, so the provider can tell end users apart for abuse
 * handling without learning anything about them. Never a name, an address or an IP.
 */
export function safetyIdentifier(secret: string, client?: ClientIdentity): string {
  const who = client?.sessionId ? `session:${client.sessionId}` : "instance";
  return createHmac("sha256", secret).update(`safety:${who}`).digest("hex").slice(0, SAFETY_ID_MAX_CHARS);
}
