"use client";

import { keepPreviousData, useInfiniteQuery, useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { Generation } from "@/lib/dto/generation";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import { isSeedWord, searchWords } from "@/lib/text";
import { fetchJson } from "./client";
import { generationKeys, type GalleryFilter } from "./keys";

export interface GenerationPage {
  items: Generation[];
  nextCursor: string | null;
}

export function galleryUrl(filter: GalleryFilter, cursor?: string | null) {
  const params = new URLSearchParams({ limit: "24" });
  if (filter.status) params.set("status", filter.status);
  if (filter.model) params.set("model", filter.model);
  if (filter.q) params.set("q", filter.q);
  if (filter.favorite) params.set("favorite", "1");
  if (cursor) params.set("cursor", cursor);
  return `/api/generations?${params}`;
}

export function useGenerations(filter: GalleryFilter, initialPage?: GenerationPage) {
  const isDefault = !filter.status && !filter.model && !filter.q && !filter.favorite;
  return useInfiniteQuery({
    queryKey: generationKeys.list(filter),
    queryFn: ({ pageParam }) => fetchJson<GenerationPage>(galleryUrl(filter, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: isDefault && initialPage ? { pages: [initialPage], pageParams: [null] } : undefined,
    // A new search or filter keeps the clips on screen until its first page arrives: an empty
    // gallery between keystrokes read as "nothing matches" and lost the creator's place.
    placeholderData: keepPreviousData,
  });
}

/**
 * Whether a film belongs under the gallery's filters, as a clip would: its export's status (a
 * queued or running export is in progress), a clip of the chosen model, every search word in its
 * title or one of its clips' prompts or models. Films are never favourites.
 */
export function filmMatches(filter: GalleryFilter, board: StoryboardDto): boolean {
  if (filter.favorite) return false;
  // Export statuses are clip status words (queued, running, succeeded, failed): the same lists apply.
  if (filter.status && !filter.status.split(",").includes(board.export.status)) return false;
  if (filter.model && !board.items.some((item) => item.model === filter.model)) return false;
  const text = [board.title, ...board.items.flatMap((item) => [item.prompt, item.model])].join("\n").toLowerCase();
  return !filter.q || searchWords(filter.q).every((word) => text.includes(word.toLowerCase()));
}

function matches(filter: GalleryFilter, g: Generation) {
  if (filter.status && !filter.status.split(",").includes(g.status)) return false;
  if (filter.model && filter.model !== g.model) return false;
  if (filter.favorite && !g.favorite) return false;
  if (filter.q && !searchWords(filter.q).every((word) => wordMatches(word, g))) return false;
  return true;
}

/** One search word against a clip, as the server's query matches it (lib/db/generations.ts). */
function wordMatches(word: string, g: Generation): boolean {
  const lower = word.toLowerCase();
  if (g.prompt.toLowerCase().includes(lower) || g.model.toLowerCase().includes(lower)) return true;
  return isSeedWord(word) && (String(g.seed) === word || String(g.request.seed) === word);
}

/** The gallery's order, newest first: created time, then id (as the server's keyset). */
function before(a: Generation, b: Generation): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);
}

/**
 * Puts a generation the list does not hold where the list's order puts it: at the top when new,
 * among the loaded pages when it falls between their clips, and nowhere when it belongs to a
 * page not loaded yet (that page brings it; inserting it now would show it twice, out of place).
 */
function placed(pages: GenerationPage[], generation: Generation): GenerationPage[] {
  for (let p = 0; p < pages.length; p++) {
    const at = pages[p]!.items.findIndex((item) => before(generation, item));
    if (at >= 0) return pages.map((page, i) => (i === p ? { ...page, items: [...page.items.slice(0, at), generation, ...page.items.slice(at)] } : page));
  }
  const last = pages.at(-1);
  if (!last || last.nextCursor) return pages;
  return [...pages.slice(0, -1), { ...last, items: [...last.items, generation] }];
}

/**
 * What this tab learnt live (events, its own creates and deletes) in the last minutes. A list
 * fetch in flight (the next page, a refetch) writes back the pages as they were when it started,
 * so a change that arrived meanwhile was undone: a card stayed "Submitted" on a clip that had
 * failed, until some other change came along. After every fetch the journal is applied again
 * (`reapplyLiveChanges`); applying a state twice changes nothing.
 */
const JOURNAL_MS = 5 * 60_000;
const JOURNAL_MAX = 2000;
type Journal = Map<string, { generation: Generation | null; at: number }>;
const journals = new WeakMap<QueryClient, Journal>();

function journalOf(queryClient: QueryClient): Journal {
  let journal = journals.get(queryClient);
  if (!journal) journals.set(queryClient, (journal = new Map()));
  return journal;
}

function remember(queryClient: QueryClient, id: string, generation: Generation | null) {
  const journal = journalOf(queryClient);
  journal.delete(id);
  journal.set(id, { generation, at: Date.now() });
  for (const [key, entry] of journal) {
    if (journal.size <= JOURNAL_MAX && Date.now() - entry.at < JOURNAL_MS) break;
    journal.delete(key);
  }
}

/** Applies every live change of the journal to the cached lists again (after a fetch wrote older pages). */
function reapplyLiveChanges(queryClient: QueryClient) {
  for (const [id, { generation, at }] of journalOf(queryClient)) {
    if (Date.now() - at >= JOURNAL_MS) continue;
    if (generation) writeGeneration(queryClient, generation);
    else dropGeneration(queryClient, id);
  }
}

/**
 * Keeps live changes on screen across list fetches: a fetch's own result (not a cache write by
 * this module) is followed by `reapplyLiveChanges`. Returns the unsubscribe.
 */
export function keepLiveChangesAcrossFetches(queryClient: QueryClient): () => void {
  const lists = generationKeys.lists();
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "success" || event.action.manual) return;
    if (!lists.every((part, i) => event.query.queryKey[i] === part)) return;
    reapplyLiveChanges(queryClient);
  });
}

/** Writes one generation's new state into every cached list, in its place (see `placed`). */
export function upsertGeneration(queryClient: QueryClient, generation: Generation) {
  remember(queryClient, generation.id, generation);
  writeGeneration(queryClient, generation);
}

function writeGeneration(queryClient: QueryClient, generation: Generation) {
  const detail = queryClient.getQueryData<Generation>(generationKeys.detail(generation.id));
  if (!detail || detail.updatedAt <= generation.updatedAt) queryClient.setQueryData(generationKeys.detail(generation.id), generation);
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<GenerationPage>>({ queryKey: generationKeys.lists() })) {
    if (!data) continue;
    const filter = (key[2] ?? {}) as GalleryFilter;
    let found = false;
    // Written only when something changes: re-applying the journal after every fetch must not
    // re-render the gallery for states it already shows.
    let changed = false;
    let pages = data.pages.map((page) => {
      if (!page.items.some((item) => item.id === generation.id)) return page;
      found = true;
      return {
        ...page,
        items: page.items.flatMap((item) => {
          if (item.id !== generation.id) return [item];
          // Events can arrive out of order across reconnects: never replace with an older state.
          if (item === generation || item.updatedAt > generation.updatedAt) return [item];
          changed = true;
          return matches(filter, generation) ? [generation] : [];
        }),
      };
    });
    if (!found && matches(filter, generation)) {
      const before = pages;
      pages = placed(pages, generation);
      changed = pages !== before;
    }
    if (changed) queryClient.setQueryData(key, { ...data, pages });
  }
}

export function removeGeneration(queryClient: QueryClient, id: string) {
  remember(queryClient, id, null);
  dropGeneration(queryClient, id);
}

function dropGeneration(queryClient: QueryClient, id: string) {
  queryClient.removeQueries({ queryKey: generationKeys.detail(id) });
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<GenerationPage>>({ queryKey: generationKeys.lists() })) {
    if (!data) continue;
    queryClient.setQueryData(key, { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.id !== id) })) });
  }
}

export function useGalleryCache() {
  const queryClient = useQueryClient();
  return {
    upsert: (g: Generation) => upsertGeneration(queryClient, g),
    remove: (id: string) => removeGeneration(queryClient, id),
  };
}
