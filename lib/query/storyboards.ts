"use client";

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
 * Writes one storyboard's new state (from a `storyboard` event or an API answer) into the cache:
 * its own entry and the list (a storyboard the list does not hold yet goes first: it is the
 * most recently changed).
 */
export function upsertStoryboard(queryClient: QueryClient, board: StoryboardDto) {
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
