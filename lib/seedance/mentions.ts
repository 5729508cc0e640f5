/**
 * Mentions of reference materials in a prompt. The provider's prompts name them in plain words,
 * numbered per kind in the order they are attached: "image 1", "video 2", "audio 1" (the order of
 * `content[]`: docs/seedance-contract.md#content-items, the provider guide's 2.x capabilities).
 * There is no @-mention syntax upstream: the studio's `@` is only the key that opens the menu,
 * which inserts the plain wording, so the prompt that goes upstream holds nothing the model would
 * not read.
 *
 * Pure and client-safe (no zod, no React): the composer's menu, its chips and any server check
 * read the same rules.
 */

// Type-only: the composer loads this module, and the code table has no place in its first load.
import type { Coded } from "@/lib/errors/codes";
import { REFERENCE_ITEMS, REFERENCE_KINDS, type ReferenceKind } from "./models";

/** One mention in a prompt: `text.slice(start, end)` is what was typed ("Image 1"). */
export interface Mention {
  kind: ReferenceKind;
  /** 1-based, as the provider counts. */
  n: number;
  start: number;
  end: number;
}

/** How many materials of each kind are attached. */
export type MaterialCounts = Record<ReferenceKind, number>;

/**
 * The kind word, spaces, then the number; not inside another word ("imaged 1", "subvideo 1"), not
 * the start of a longer number or word ("video 12" is video 12, "video 1a" is nothing, "audio 5.1"
 * is a sound format). ASCII boundaries on purpose: a Korean particle right after the number
 * ("image 1의") still ends the mention, and "@image 1" or "<Image 1>" hold "image 1".
 */
const MENTION = /(?<![A-Za-z0-9_])(image|video|audio)[ \t\u00a0]+(\d+)(?![A-Za-z0-9_]|[.,]\d)/gi;

export function mentionsIn(prompt: string): Mention[] {
  return Array.from(prompt.matchAll(MENTION), (match) => ({
    kind: match[1]!.toLowerCase() as ReferenceKind,
    n: Number(match[2]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Each material the prompt mentions but that is not attached, once, in the order first mentioned. */
export function mentionProblems(prompt: string, counts: MaterialCounts): Coded[] {
  const seen = new Set<string>();
  const problems: Coded[] = [];
  for (const { kind, n } of mentionsIn(prompt)) {
    const key = `${kind} ${n}`;
    if (seen.has(key) || (n >= 1 && n <= counts[kind])) continue;
    seen.add(key);
    problems.push(unattached(kind, n));
  }
  return problems;
}

/** The error for a mention of a material that is not attached (`coded()` without the code table). */
export function unattached(kind: ReferenceKind, n: number): Coded {
  return { code: "mention_unattached", params: { kind, n } } satisfies Coded;
}

/** The words the provider reads for the nth material of a kind: "image 1". */
export function mentionText(kind: ReferenceKind, n: number): string {
  return `${kind} ${n}`;
}

/** The counts a spec's (or the form's) reference lists make. */
export function materialCounts(lists: { [K in ReferenceKind as (typeof REFERENCE_ITEMS)[K]["field"]]?: readonly unknown[] | null }): MaterialCounts {
  return Object.fromEntries(REFERENCE_KINDS.map((kind) => [kind, lists[REFERENCE_ITEMS[kind].field]?.length ?? 0])) as MaterialCounts;
}

/** An `@` being typed: where it is, and the partial word after it. */
export interface MentionQuery {
  /** The offset of the `@`: the menu replaces `text.slice(start, caret)`. */
  start: number;
  /** What follows the `@` up to the caret: "", "im", "video 2", "이미지". */
  query: string;
}

/**
 * The last `@` before the caret, at the start of the text or after something other than an ASCII
 * letter or digit (so an e-mail address opens nothing), then letters of any script, an optional
 * space and digits, up to the caret. A caret inside a word ("@ima|ge") opens nothing either:
 * replacing up to it would leave the word's tail behind.
 */
const QUERY_TAIL = /^(?:\p{L}+ ?)?\d*$/u;
const WORD_BEFORE = /[A-Za-z0-9_]/;
const WORD_AFTER = /^[\p{L}\p{N}_]/u;
/** Long enough for "image 30" in any language; past it, the `@` was not a mention. */
const QUERY_MAX_CHARS = 24;

export function mentionQuery(text: string, caret: number): MentionQuery | null {
  if (!Number.isInteger(caret) || caret < 1 || caret > text.length) return null;
  const start = text.lastIndexOf("@", caret - 1);
  if (start < 0 || caret - start - 1 > QUERY_MAX_CHARS) return null;
  const query = text.slice(start + 1, caret);
  if (!QUERY_TAIL.test(query) || (start > 0 && WORD_BEFORE.test(text[start - 1]!)) || WORD_AFTER.test(text.slice(caret, caret + 2))) return null;
  return { start, query };
}

/**
 * Whether a material fits what was typed after the `@`: a prefix of its wording ("im", "image 1",
 * "image1"), of its label in the creator's language ("이미", "이미지 1"), or of its number ("1").
 */
export function mentionMatches(query: string, material: { kind: ReferenceKind; n: number; label?: string }): boolean {
  const typed = squash(query);
  if (!typed) return true;
  const candidates = [squash(mentionText(material.kind, material.n)), String(material.n)];
  if (material.label) candidates.push(squash(material.label));
  return candidates.some((candidate) => candidate.startsWith(typed));
}

function squash(text: string): string {
  return text.toLowerCase().replace(/\s+/g, "");
}

/** The text and caret after choosing a material for `at`: the `@query` becomes its wording and one space. */
export function insertMention(text: string, at: MentionQuery, kind: ReferenceKind, n: number): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const rest = text.slice(end);
  const wording = mentionText(kind, n);
  // A space already there is kept, not doubled; the caret goes after it either way.
  const spaced = rest.startsWith(" ") ? wording : `${wording} `;
  return { text: text.slice(0, at.start) + spaced + rest, caret: at.start + wording.length + 1 };
}
