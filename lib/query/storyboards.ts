"use client";

import { useCallback, useRef } from "react";
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import { fetchJson } from "./client";
import { storyboardKeys } from "./keys";

export interface StoryboardList {
  items: StoryboardDto[];
}

/** Events and answers can arrive in either order: a state never replaces a newer one. */
const isOlder = (candidate: StoryboardDto, current: StoryboardDto | undefined) => current !== undefined && candidate.updatedAt < current.updatedAt;

/**
 * Storyboards with edits of this tab not yet answered (see `useStoryboardSaves`): what the server
 * says of them meanwhile predates the creator's latest change, and would put it back.
 */
const editing = new Set<string>();

/**
 * Writes one storyboard's new state (from a `storyboard` event or an API answer) into the cache:
 * its own entry and the list (a storyboard the list does not hold yet goes first: it is the
 * most recently changed).
 */
export function upsertStoryboard(queryClient: QueryClient, board: StoryboardDto) {
  if (editing.has(board.id)) return;
  if (!isOlder(board, queryClient.getQueryData<StoryboardDto>(storyboardKeys.detail(board.id)))) {
    queryClient.setQueryData(storyboardKeys.detail(board.id), board);
  }
  queryClient.setQueryData<StoryboardList>(storyboardKeys.list(), (list) => {
    if (!list) return list;
    const at = list.items.findIndex((item) => item.id === board.id);
    if (at < 0) return { items: [board, ...list.items] };
    if (isOlder(board, list.items[at])) return list;
    return { items: list.items.map((item, i) => (i === at ? board : item)) };
  });
}

export function removeStoryboard(queryClient: QueryClient, id: string) {
  queryClient.removeQueries({ queryKey: storyboardKeys.detail(id) });
  queryClient.setQueryData<StoryboardList>(storyboardKeys.list(), (list) => list && { items: list.items.filter((item) => item.id !== id) });
}

/**
 * The storyboards, kept current by the event stream (lib/query/events.ts): no polling. The
 * page's own list is the first data, so loading the gallery asks the API nothing; a reconnect
 * of the stream refetches once, in case events were missed.
 */
export function useStoryboards(initial: StoryboardDto[]) {
  return useQuery({
    queryKey: storyboardKeys.list(),
    queryFn: () => fetchJson<StoryboardList>("/api/storyboards"),
    initialData: { items: initial },
    staleTime: Infinity,
  });
}

/**
 * One storyboard, kept current by the event stream: from the list when it holds it (a film
 * opened from the strip), else read once.
 */
export function useStoryboard(id: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: storyboardKeys.detail(id ?? ""),
    queryFn: () => fetchJson<StoryboardDto>(`/api/storyboards/${encodeURIComponent(id!)}`),
    initialData: () => queryClient.getQueryData<StoryboardList>(storyboardKeys.list())?.items.find((board) => board.id === id),
    enabled: id !== null,
    staleTime: Infinity,
  });
}

export function useStoryboardCache() {
  const queryClient = useQueryClient();
  return {
    upsert: (board: StoryboardDto) => upsertStoryboard(queryClient, board),
    remove: (id: string) => removeStoryboard(queryClient, id),
  };
}

export interface StoryboardEdit {
  items?: StoryboardDto["items"];
  crossfadeSec?: number;
}

/**
 * Saves a storyboard's edits one request at a time. Three quick presses sent as three PATCHes
 * could reach the server out of order, and each answer (and event) put an older trim back on
 * screen: the last press was lost. Here an edit shows at once; while a save is under way, later
 * edits merge into one that is sent after it, and the server's word is written only once the
 * newest edit is answered. A failed save reads the storyboard again, so the screen shows what is
 * saved.
 */
export function useStoryboardSaves(onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  const queue = useRef(new Map<string, { next: StoryboardEdit | null }>());
  return useCallback(
    (id: string, edit: StoryboardEdit) => {
      const key = storyboardKeys.detail(id);
      queryClient.setQueryData<StoryboardDto>(key, (board) => board && { ...board, ...edit });
      const running = queue.current.get(id);
      if (running) {
        running.next = { ...running.next, ...edit };
        return;
      }
      const state = { next: edit as StoryboardEdit | null };
      queue.current.set(id, state);
      editing.add(id);
      void (async () => {
        let answer: StoryboardDto | undefined;
        try {
          while (state.next) {
            const body = state.next;
            state.next = null;
            const items = body.items?.map(({ generationId, trimStart, trimEnd }) => ({ generationId, trimStart, trimEnd }));
            answer = await fetchJson<StoryboardDto>(`/api/storyboards/${encodeURIComponent(id)}`, {
              method: "PATCH",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ items, crossfadeSec: body.crossfadeSec }),
            });
          }
        } catch (error) {
          answer = undefined;
          onError(error);
        } finally {
          queue.current.delete(id);
          editing.delete(id);
        }
        if (answer) upsertStoryboard(queryClient, answer);
        else void queryClient.invalidateQueries({ queryKey: key });
      })();
    },
    [queryClient, onError],
  );
}
