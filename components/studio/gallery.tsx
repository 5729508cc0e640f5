"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState } from "react";
import type { Generation } from "@/lib/dto/generation";
import type { GalleryFilter } from "@/lib/query/keys";
import { TERMINAL_STATUSES, UNFINISHED_STATUSES } from "@/lib/status";
import { useGenerations, type GenerationPage } from "@/lib/query/generations";
import { useTranslations } from "next-intl";
import { MODEL_IDS, MODELS } from "@/lib/seedance/models";
import { Button } from "@/components/ui/button";
import { ChoiceChips } from "@/components/ui/choice-chips";
import { Select } from "@/components/ui/controls";
import { ClipCard } from "./clip-card";
import { ChainStoryboardButton, isChained, MakeStoryboardButton } from "@/components/storyboard/gallery-hooks";
import { FilmsStrip } from "@/components/storyboard/films-strip";
import type { StoryboardDto } from "@/lib/dto/storyboard";

// Opened by a click, never on first paint: their code loads when first needed. `ssr: false` gives
// each its own Suspense boundary: without one, the first open suspended up to the studio's, which
// hid the whole gallery while the code arrived and took focus off the press that opened it.
const PlayerDialog = dynamic(() => import("./player-dialog").then((m) => m.PlayerDialog), { ssr: false });
const SharePanel = dynamic(() => import("./share-panel").then((m) => m.SharePanel), { ssr: false });
const StoryboardPanel = dynamic(() => import("@/components/storyboard/storyboard-panel").then((m) => m.StoryboardPanel), { ssr: false });

const STATUS_FILTERS = [
  { value: "", label: "all" },
  { value: UNFINISHED_STATUSES.join(","), label: "inProgress" },
  { value: "succeeded", label: "ready" },
  { value: TERMINAL_STATUSES.filter((status) => status !== "succeeded").join(","), label: "failed" },
] as const;

interface GalleryProps {
  initialPage: GenerationPage;
  initialStoryboards: StoryboardDto[];
  onRemix: (g: Generation) => void | Promise<void>;
  onContinue: (g: Generation) => void | Promise<void>;
}

export function Gallery({ initialPage, initialStoryboards, onRemix, onContinue }: GalleryProps) {
  const t = useTranslations("gallery");
  const [filter, setFilter] = useState<GalleryFilter>({});
  const [search, setSearch] = useState("");
  const query = useGenerations(filter, initialPage);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [sharingSelection, setSharingSelection] = useState(false);
  const [storyboard, setStoryboard] = useState<{ fromChain: string } | { generationIds: string[] } | { id: string } | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);

  // The gallery's code arrives after the page's: words typed into the search box by then are in
  // the field but not in state. Take them over (the box is uncontrolled: hydrating a controlled
  // one would put its empty state back into it).
  const searchInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const typed = searchInput.current?.value;
    if (typed) setSearch(typed);
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => ({ ...f, q: search.trim() || undefined })), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries[0]?.isIntersecting && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const openIndex = items.findIndex((g) => g.id === openId);

  return (
    <section aria-label={t("gallery")} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <ChoiceChips
          label={t("filterStatus")}
          name="status-filter"
          choices={STATUS_FILTERS.map((s) => ({ value: s.value, label: t(s.label) }))}
          value={filter.status ?? ""}
          onChange={(status) => setFilter((f) => ({ ...f, status: status || undefined }))}
        />
        <label htmlFor="model-filter" className="sr-only">
          {t("filterModel")}
        </label>
        <Select compact id="model-filter" value={filter.model ?? ""} onChange={(e) => setFilter((f) => ({ ...f, model: e.target.value || undefined }))}>
          <option value="">{t("allModels")}</option>
          {MODEL_IDS.map((id) => (
            <option key={id} value={id}>
              {MODELS[id].label}
            </option>
          ))}
        </Select>
        <label htmlFor="gallery-search" className="sr-only">
          {t("search")}
        </label>
        <input
          ref={searchInput}
          id="gallery-search"
          type="search"
          placeholder={t("search")}
          defaultValue=""
          onChange={(e) => setSearch(e.target.value)}
          className="min-w-40 flex-1 rounded-lg border border-line bg-surface px-3 py-1.5 text-sm"
        />
      </div>

      {selected.length > 0 && (
        <div className="flex flex-col gap-2 rounded-xl border border-accent/40 bg-surface p-2 text-sm" role="region" aria-label={t("selection")}>
          <div className="flex flex-wrap items-center gap-2">
            <span>{t("selected", { count: selected.length })}</span>
            <Button variant="primary" className="text-xs" onClick={() => setSharingSelection(true)}>
              {t("shareCollection")}
            </Button>
            <MakeStoryboardButton onOpen={() => setStoryboard({ generationIds: items.filter((g) => selected.includes(g.id) && g.status === "succeeded").map((g) => g.id).reverse() })} />
            <Button className="text-xs" onClick={() => (setSelected([]), setSharingSelection(false))}>
              {t("clearSelection")}
            </Button>
          </div>
          {sharingSelection && <SharePanel key={selected.join(",")} generationIds={selected} onClose={() => setSharingSelection(false)} />}
        </div>
      )}
      <FilmsStrip initialStoryboards={initialStoryboards} onOpen={(id) => setStoryboard({ id })} />
      {items.length === 0 && !query.isFetching ? (
        <div className="flex flex-col items-center justify-center gap-2 rounded-2xl border border-dashed border-line bg-surface p-12 text-center">
          <p className="font-medium">{filter.status || filter.model || filter.q ? t("noMatch") : t("noClips")}</p>
          <p className="text-sm text-muted">
            {filter.status || filter.model || filter.q ? t("clearFilters") : t("emptyHint")}
          </p>
        </div>
      ) : (
        <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 2xl:grid-cols-3" aria-label={t("clips")}>
          {items.map((g) => (
            <li key={g.id}>
              <ClipCard
                generation={g}
                selected={selected.includes(g.id)}
                onSelect={(on) => setSelected((ids) => (on ? [...ids, g.id] : ids.filter((id) => id !== g.id)))}
                onOpen={() => setOpenId(g.id)} onRemix={() => void onRemix(g)} onContinue={() => onContinue(g)} />
              {isChained(g, items) && <ChainStoryboardButton generation={g} onOpen={() => setStoryboard({ fromChain: g.id })} />}
            </li>
          ))}
        </ul>
      )}
      <div ref={sentinel} aria-hidden className="h-8" />
      {isFetchingNextPage && <p className="text-center text-xs text-muted">{t("loadingMore")}</p>}
      {query.isError && (
        <p role="alert" className="text-sm text-red-600">
          {t("loadFailed", { message: query.error.message })}{" "}
          <Button variant="link" size="inline" onClick={() => void query.refetch()}>
            {t("retry")}
          </Button>
        </p>
      )}
      {openIndex >= 0 && (
        <PlayerDialog
          generation={items[openIndex]!}
          onClose={() => setOpenId(null)}
          onStep={(delta) => {
            const next = items[openIndex + delta];
            if (next) setOpenId(next.id);
          }}
        />
      )}
      {storyboard && <StoryboardPanel source={storyboard} onClose={() => setStoryboard(null)} />}
    </section>
  );
}
