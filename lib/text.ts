/**
 * Rules for text a creator types, shared by the browser form and the server (no dependencies, so
 * the form's first load does not grow).
 */

/**
 * Characters as the limits count them: Unicode code points, as zod's `max` and the upstream do.
 * An emoji is one character here, though it is two UTF-16 units in `String#length`.
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: skip the low half.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Whether text can be stored and sent as it is: PostgreSQL refuses a NUL in text, and half of a
 * surrogate pair has no UTF-8 form (it would silently become U+FFFD on the way out).
 */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

/**
 * A gallery search as its words, each matched on its own (all must match, in any order): "snow
 * fox" finds a "fox in the snow". The server's query and the browser's cache both use it.
 */
export function searchWords(q: string): string[] {
  return q.split(/\s+/).filter(Boolean).slice(0, 8);
}

/** Whether a search word is a seed (the gallery matches seeds exactly, not as a substring). */
export const isSeedWord = (word: string) => /^\d{1,10}$/.test(word);

/** A size for a message: "64 MB", "1.5 MB", "900 KB" (binary units, as our caps are written; a limit under 1 MB is never "0 MB"). */
export function formatBytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  if (mb >= 1) return `${Number(mb.toFixed(mb < 10 ? 1 : 0))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
