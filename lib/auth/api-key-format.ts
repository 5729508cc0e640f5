/** The facts about personal API keys the browser needs too (api-keys.ts holds the rest, server-only). */
export const API_KEY_PREFIX = "sk_studio_";
export const API_KEY_NAME_MAX = 60;
export const MAX_API_KEYS = 50;
