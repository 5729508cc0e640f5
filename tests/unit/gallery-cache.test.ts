import { InfiniteQueryObserver, QueryClient, type InfiniteData } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import type { Generation } from "@/lib/dto/generation";
import { keepLiveChangesAcrossFetches, upsertGeneration, type GenerationPage } from "@/lib/query/generations";
import { generationKeys } from "@/lib/query/keys";

const clip = (n: number, status: Generation["status"] = "running") =>
  ({ id: `g_${n}`, prompt: `clip ${n}`, model: "doubao-seedance-1-0-pro-fast-251015", status, createdAt: new Date(Date.UTC(2026, 10, 25, 0, n)).toISOString(), updatedAt: new Date(Date.UTC(2026, 10, 25, 1, n)).toISOString() }) as Generation;

function cacheWith(pages: GenerationPage[]) {
  const client = new QueryClient();
  const key = generationKeys.list({});
  client.setQueryData<InfiniteData<GenerationPage>>(key, { pages, pageParams: pages.map((_, i) => (i ? `c${i}` : null)) });
  const ids = () => client.getQueryData<InfiniteData<GenerationPage>>(key)!.pages.map((p) => p.items.map((g) => g.id));
  return { client, ids };
}

describe("live updates in the gallery's cached pages", () => {
  it("a new clip goes on top; a change replaces the clip where it is", () => {
    const { client, ids } = cacheWith([{ items: [clip(5), clip(4)], nextCursor: "c1" }, { items: [clip(3), clip(2)], nextCursor: "c2" }]);
    upsertGeneration(client, clip(6, "queued"));
    upsertGeneration(client, { ...clip(3, "succeeded"), updatedAt: new Date(Date.UTC(2026, 10, 25, 2)).toISOString() });
    expect(ids()).toEqual([["g_6", "g_5", "g_4"], ["g_3", "g_2"]]);
  });

  it("a clip from a page not loaded yet is left for that page, so it is never shown twice or out of order", () => {
    const { client, ids } = cacheWith([{ items: [clip(5), clip(4)], nextCursor: "c1" }]);
    upsertGeneration(client, clip(1, "failed"));
    expect(ids()).toEqual([["g_5", "g_4"]]);
  });

  it("a clip that falls between loaded clips goes in its place; after the last page it goes at the end", () => {
    const { client, ids } = cacheWith([{ items: [clip(9), clip(7)], nextCursor: "c1" }, { items: [clip(5), clip(4)], nextCursor: null }]);
    upsertGeneration(client, clip(6));
    upsertGeneration(client, clip(8));
    upsertGeneration(client, clip(1));
    expect(ids()).toEqual([["g_9", "g_8", "g_7"], ["g_6", "g_5", "g_4", "g_1"]]);
  });
});

describe("live changes survive a list fetch that was in flight", () => {
  it("a clip that failed while the next page loaded stays failed when that page lands", async () => {
    const client = new QueryClient();
    const filter = {};
    const key = generationKeys.list(filter);
    const stop = keepLiveChangesAcrossFetches(client);
    let release!: (page: GenerationPage) => void;
    const observer = new InfiniteQueryObserver(client, {
      queryKey: key,
      queryFn: ({ pageParam }) => (pageParam ? new Promise<GenerationPage>((resolve) => (release = resolve)) : Promise.resolve({ items: [clip(9, "submitted"), clip(8)], nextCursor: "c1" })),
      initialPageParam: null as string | null,
      getNextPageParam: (last: GenerationPage) => last.nextCursor,
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.waitFor(() => expect(client.getQueryData<InfiniteData<GenerationPage>>(key)?.pages).toHaveLength(1));

    const next = observer.fetchNextPage();
    // While the second page is on its way, the first page's clip fails (an event).
    upsertGeneration(client, { ...clip(9, "failed"), updatedAt: new Date(Date.UTC(2026, 10, 25, 3)).toISOString() });
    release({ items: [clip(2), clip(1)], nextCursor: null });
    await next;

    const pages = client.getQueryData<InfiniteData<GenerationPage>>(key)!.pages;
    expect(pages.map((p) => p.items.map((g) => `${g.id}:${g.status}`))).toEqual([["g_9:failed", "g_8:running"], ["g_2:running", "g_1:running"]]);
    unsubscribe();
    stop();
  });
});
