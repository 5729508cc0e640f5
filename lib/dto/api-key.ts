/** Personal API keys as the browser sees them: the facts it needs and the list's shape (lib/auth/api-keys.ts holds the rest, server-only). */
export const API_KEY_PREFIX = "sk_studio_";
export const API_KEY_NAME_MAX = 60;
export const MAX_API_KEYS = 50;

export interface ApiKeySummary {
  id: string;
  name: string;
  /** The key's start, `sk_studio_Ab3d…`, to tell keys apart. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
}
