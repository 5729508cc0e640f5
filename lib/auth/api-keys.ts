import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { countLiveApiKeys, insertApiKey, listLiveApiKeys, revokeApiKeyById, useApiKeyByHash } from "@/lib/db/sessions";
import type { ApiKeyRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { API_KEY_PREFIX, MAX_API_KEYS, type ApiKeySummary } from "@/lib/dto/api-key";
import { LiveCache } from "./live-cache";
import { SESSION_CACHE_MS } from "./session-store";

/**
 * Personal API keys: `sk_studio_` and 256 random bits (base64url). The prefix lets the log
 * scrubber (lib/log.ts) and secret scanners recognise a key wherever it appears. High entropy
 * makes a plain SHA-256 a safe way to store it (no salt or slow hash needed: there is nothing to
 * guess), and the hash is what a request's key is looked up by.
 */
const API_KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{43}$`);


export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function toSummary(row: ApiKeyRow): ApiKeySummary {
  return { id: row.id, name: row.name, hint: `${row.hint}…`, createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null };
}

/** Makes a key; the secret is returned this once and never stored. */
export async function createApiKey(db: Db, { name }: { name: string }): Promise<{ key: ApiKeySummary; secret: string }> {
  if ((await countLiveApiKeys({ db })) >= MAX_API_KEYS) {
    throw new AppError("too_many_api_keys", { max: MAX_API_KEYS });
  }
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await insertApiKey({
    db,
    row: { id: `key_${randomBytes(9).toString("base64url")}`, name, keyHash: hashApiKey(secret), hint: secret.slice(0, API_KEY_PREFIX.length + 4) },
  });
  return { key: toSummary(row), secret };
}

export async function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  return (await listLiveApiKeys({ db })).map(toSummary);
}

const globalForKeys = globalThis as unknown as { seedanceApiKeyCache?: LiveCache<{ id: string }> };
const cache = () => (globalForKeys.seedanceApiKeyCache ??= new LiveCache<{ id: string }>({ ttlMs: SESSION_CACHE_MS, max: 1_000 }));

export async function revokeApiKey(db: Db, { id }: { id: string }): Promise<boolean> {
  const revoked = await revokeApiKeyById({ db, id });
  cache().forget((_hash, key) => key.id === id);
  return revoked;
}

/** The bearer credential of an `Authorization` header, or undefined when the header is not `Bearer`. */
export function bearerCredential(authorization: string | null): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  return match ? match[1] : undefined;
}

/** The live key a bearer credential is, or null (malformed, unknown or revoked). */
export async function apiKeyFor(db: Db, credential: string): Promise<{ id: string } | null> {
  if (!API_KEY_PATTERN.test(credential)) return null;
  const keyHash = hashApiKey(credential);
  return cache().lookup(keyHash, () => useApiKeyByHash({ db, keyHash }));
}
