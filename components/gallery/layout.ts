import type { Generation } from "@/lib/dto/generation";
import { isTerminal } from "@/lib/status";

/*
 * How the gallery lays clips out, as data: takes of one batch grouped, and the list cut into
 * blocks the virtualizer renders one by one. No React here, so it is tested on its own.
 */

/** Width over height of a clip: its real size once known, else the ratio it asked for. */
export function aspectOf(g: Pick<Generation, "width" | "height" | "request">): number {
  if (g.width && g.height) return g.width / g.height;
  const ratio = g.request.ratio;
  const match = ratio ? /^(\d+):(\d+)$/.exec(ratio) : null;
  return match ? Number(match[1]) / Number(match[2]) : 16 / 9;
}

/** A failed, expired or cancelled clip: drawn as a compact row, not a black tile. */
export const isFailure = (g: Generation) => isTerminal(g.status) && g.status !== "succeeded";

/** A refusal by the content policy: sending it again gives the same answer, so no Retry. */
export const isPolicyRefusal = (g: Generation) => Boolean(g.error?.code.startsWith("policy_"));

/** Takes made together from one prompt: the variations of a batch (they differ by seed only). */
export interface TakeGroup {
  key: string;
  takes: Generation[];
}

/** Variations of a batch are sent one after another: never this far apart. */
const SAME_BATCH_WITHIN_MS = 10 * 60_000;

/** The request apart from the seed (and frames, which are URLs of the same stored images). */
function batchSignature(g: Generation): string {
  const { seed: _seed, ...rest } = g.request;
  void _seed;
  return JSON.stringify([g.model, g.prompt, g.parentId, Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))]);
}

/**
 * Groups neighbours in the list (newest first) with the same prompt and settings, made minutes
 * apart: the takes of one batch. The clip record has no batch id (the API creates clips one
 * by one), and this is exactly what a creator sees as "the same thing, several times".
 */
export function groupTakes(items: readonly Generation[]): TakeGroup[] {
  const groups: TakeGroup[] = [];
  let signature = "";
  for (const g of items) {
    const last = groups.at(-1);
    const previous = last?.takes.at(-1);
    const own = batchSignature(g);
    if (last && previous && own === signature && Math.abs(Date.parse(previous.createdAt) - Date.parse(g.createdAt)) <= SAME_BATCH_WITHIN_MS) {
      last.takes.push(g);
    } else {
      groups.push({ key: g.id, takes: [g] });
      signature = own;
    }
  }
  return groups;
}

/** What one virtual row of the gallery draws. */
export type GalleryBlock =
  /** Clips of different prompts, side by side in justified rows, each with its prompt. */
  | { kind: "clips"; key: string; clips: Generation[] }
  /** Several takes of one prompt under one heading. */
  | { kind: "group"; key: string; takes: Generation[] }
  /** One failed clip, as a compact row. */
  | { kind: "failure"; key: string; clip: Generation };

/** Clips made further apart than this start a new run of tiles: a new sitting, a new block. */
const SAME_SITTING_MS = 5 * 60_000;

/**
 * Cuts the groups into blocks: a group of takes is one block; single clips run together into
 * blocks of at most `perBlock`, so the DOM holds only the blocks near the viewport. A failed
 * single clip is a block of its own (a compact row).
 *
 * Where a run ends must not move when a clip arrives at the top, or every block below would get
 * new members (and new keys, remounting their videos): a run ends where the clips are minutes
 * apart, and a long run is cut into blocks counted from its oldest end, so only the newest
 * block changes.
 */
export function galleryBlocks(groups: readonly TakeGroup[], perBlock = 24): GalleryBlock[] {
  const blocks: GalleryBlock[] = [];
  let run: Generation[] = [];
  const flush = () => {
    const first = run.length % perBlock || perBlock;
    for (let at = 0; at < run.length; at = at === 0 ? first : at + perBlock) {
      const clips = run.slice(at, at === 0 ? first : at + perBlock);
      blocks.push({ kind: "clips", key: `clips-${clips.at(-1)!.id}`, clips });
    }
    run = [];
  };
  for (const group of groups) {
    if (group.takes.length > 1) {
      flush();
      blocks.push({ kind: "group", key: `group-${group.takes.at(-1)!.id}`, takes: group.takes });
      continue;
    }
    const clip = group.takes[0]!;
    if (isFailure(clip)) {
      flush();
      blocks.push({ kind: "failure", key: `failure-${clip.id}`, clip });
      continue;
    }
    const previous = run.at(-1);
    if (previous && Date.parse(previous.createdAt) - Date.parse(clip.createdAt) > SAME_SITTING_MS) flush();
    run.push(clip);
  }
  flush();
  return blocks;
}

/** The index of the block that draws a clip, or -1. */
export function blockIndexOf(blocks: readonly GalleryBlock[], id: string): number {
  return blocks.findIndex((block) =>
    block.kind === "clips" ? block.clips.some((g) => g.id === id) : block.kind === "group" ? block.takes.some((g) => g.id === id) : block.clip.id === id,
  );
}
