"use client";

import dynamic from "next/dynamic";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import type { Generation } from "@/lib/dto/generation";
import type { GalleryFilter } from "@/lib/query/keys";
import { TERMINAL_STATUSES, UNFINISHED_STATUSES } from "@/lib/status";
import { useGenerations, type GenerationPage } from "@/lib/query/generations";
import { useTranslations } from "next-intl";
import { MODEL_MENU_ORDER, MODELS, isModelId } from "@/lib/seedance/models";
import { Button } from "@/components/ui/button";
import { ChoiceChips } from "@/components/ui/choice-chips";
import { Select } from "@/components/ui/controls";
import { ChainStoryboardButton, isChained, MakeStoryboardButton } from "@/components/storyboard/gallery-hooks";
import { FilmsStrip } from "@/components/storyboard/films-strip";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import { aspectOf, blockIndexOf, galleryBlocks, groupTakes, isFailure, type GalleryBlock } from "@/components/gallery/layout";
import { RemixIcon, StarIcon } from "@/components/gallery/icons";
import { ClipTile, FailureRow, type ClipActions, type Derivation } from "./clip-card";
import { onReveal, revealed } from "./reveal";
import type { PlayerActions } from "./player-dialog";

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

/** The tiles' base row height (CSS `--row-h`): four 16:9 clips a row at 1440 px, two on a phone. */
const ROW_HEIGHT_CLASSES = "[--row-h:88px] sm:[--row-h:118px]";
const TILE_GAP = 8;
const BLOCK_GAP = 12;

/** A first guess at a block's height (the virtualizer measures the real one as it renders). */
function estimateBlock(block: GalleryBlock, width: number): number {
  const rowHeight = width < 640 ? 88 : 118;
  const rowsOf = (clips: Generation[]) => {
    const tiles = clips.filter((g) => !isFailure(g));
    const span = tiles.reduce((sum, g) => sum + aspectOf(g) * rowHeight + TILE_GAP, 0);
    return tiles.length ? Math.max(1, Math.ceil(span / Math.max(width, 1))) * (rowHeight + 14 + TILE_GAP) : 0;
  };
  if (block.kind === "failure") return 64 + BLOCK_GAP;
  if (block.kind === "clips") return rowsOf(block.clips) + BLOCK_GAP;
  return 52 + rowsOf(block.takes) + block.takes.filter(isFailure).length * 64 + BLOCK_GAP;
}

interface GalleryProps {
  initialPage: GenerationPage;
  initialStoryboards: StoryboardDto[];
  onRemix: (g: Generation) => void | Promise<void>;
  onContinue: (g: Generation) => void | Promise<void>;
  /** The player's "use this frame as the first/last frame of a new clip". */
  onUseFrame: (frameUrl: string, as: "firstFrame" | "lastFrame") => void | Promise<void>;
  /** Extend, Edit (2.5) or use as a reference: a new clip from this one (studio.tsx). */
  onDerive: (g: Generation, how: Derivation) => void;
}

const hasFilters = (filter: GalleryFilter) => Boolean(filter.status || filter.model || filter.q || filter.favorite);

export function Gallery({ initialPage, initialStoryboards, onRemix, onContinue, onUseFrame, onDerive }: GalleryProps) {
  const t = useTranslations("gallery");
  const [filter, setFilter] = useState<GalleryFilter>({});
  const [search, setSearch] = useState("");
  const query = useGenerations(filter, initialPage);
  const pages = query.data?.pages;
  const items = useMemo(() => pages?.flatMap((p) => p.items) ?? [], [pages]);
  const blocks = useMemo(() => galleryBlocks(groupTakes(items)), [items]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [sharingSelection, setSharingSelection] = useState(false);
  const [storyboard, setStoryboard] = useState<{ fromChain: string } | { generationIds: string[] } | { id: string } | null>(null);

  // The gallery's code arrives after the page's: words typed into the search box by then are in
  // the field but not in state. Take them over (the box is uncontrolled: hydrating a controlled
  // one would put its empty state back into it).
  const searchInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const typed = searchInput.current?.value;
    if (typed) setSearch(typed);
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.q === (search.trim() || undefined) ? f : { ...f, q: search.trim() || undefined })), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const clearFilters = () => {
    setFilter({});
    setSearch("");
    if (searchInput.current) searchInput.current.value = "";
  };

  // The list scrolls with the window (the form stays put beside it on a wide screen): its offset
  // in the page and its width, measured again whenever anything above it changes size.
  const list = useRef<HTMLDivElement>(null);
  const section = useRef<HTMLElement>(null);
  const [frame, setFrame] = useState({ top: 0, width: 1000 });
  useLayoutEffect(() => {
    const measure = () => {
      const node = list.current;
      if (!node) return;
      const top = Math.round(node.getBoundingClientRect().top + window.scrollY);
      const width = Math.round(node.clientWidth);
      setFrame((f) => (f.top === top && f.width === width ? f : { top, width }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    if (section.current) observer.observe(section.current);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const virtualizer = useWindowVirtualizer({
    count: blocks.length,
    estimateSize: (index) => estimateBlock(blocks[index]!, frame.width),
    getItemKey: (index) => blocks[index]!.key,
    overscan: 2,
    scrollMargin: frame.top,
    // The server renders the first screen of blocks; the browser's first render must match it.
    initialRect: { width: 1000, height: 1000 },
    initialOffset: 0,
  });
  const virtualItems = virtualizer.getVirtualItems();

  const { isFetchingNextPage, fetchNextPage } = query;
  // Not while the previous filter's clips stand in: their cursor is not the new list's.
  const hasNextPage = query.hasNextPage && !query.isPlaceholderData;
  const lastShown = virtualItems.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastShown >= blocks.length - 3 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastShown, blocks.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // A clip just made (the form asks): into view, and the gallery's top when it is the newest, so
  // the creator sees the batch start wherever the window had scrolled (on a phone, the form is
  // above the gallery: the gallery takes over the screen, and is at least a screen tall so it can).
  const revealId = useRef<string | null>(null);
  const reveal = useRef(() => {});
  useEffect(() => {
    reveal.current = () => {
      const id = revealId.current;
      if (!id) return;
      const index = blockIndexOf(blocks, id);
      // Not in the list yet (the form's answer can come before the list has it): on the next change.
      if (index < 0) return;
      if (index === 0) window.scrollTo({ top: Math.max(0, (section.current?.getBoundingClientRect().top ?? 0) + window.scrollY - 8) });
      else virtualizer.scrollToIndex(index, { align: "center" });
      // The block renders on the next frame when it was not on screen.
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-clip="${CSS.escape(id)}"]`)?.scrollIntoView({ block: "nearest" }));
      revealed(id);
      revealId.current = null;
    };
    reveal.current();
  }, [blocks, virtualizer]);
  useEffect(
    () =>
      onReveal((id) => {
        revealId.current = id;
        reveal.current();
      }),
    [],
  );

  const openIndex = items.findIndex((g) => g.id === openId);
  const actionsFor = useCallback(
    (g: Generation): ClipActions => ({ onOpen: () => setOpenId(g.id), onRemix: () => void onRemix(g), onContinue: () => onContinue(g), onDerive: (how) => onDerive(g, how) }),
    [onRemix, onContinue, onDerive],
  );
  const select = (g: Generation) => (on: boolean) => setSelected((ids) => (on ? [...ids, g.id] : ids.filter((id) => id !== g.id)));
  const tile = (g: Generation, showPrompt: boolean) => (
    <ClipTile
      key={g.id}
      generation={g}
      showPrompt={showPrompt}
      selected={selected.includes(g.id)}
      onSelect={select(g)}
      extra={isChained(g, items) ? <ChainStoryboardButton generation={g} onOpen={() => setStoryboard({ fromChain: g.id })} /> : undefined}
      {...actionsFor(g)}
    />
  );
  const renderBlock = (block: GalleryBlock) => {
    if (block.kind === "failure") return <FailureRow generation={block.clip} onRemix={() => void onRemix(block.clip)} />;
    if (block.kind === "clips") return <TileRows>{block.clips.map((g) => tile(g, true))}</TileRows>;
    const [newest] = block.takes;
    const tiles = block.takes.filter((g) => !isFailure(g));
    const failures = block.takes.filter(isFailure);
    return (
      <section aria-label={t("takesOf", { count: block.takes.length, prompt: newest!.prompt.slice(0, 60) })} className="flex flex-col gap-2 rounded-2xl border border-line bg-surface p-2">
        <header className="flex items-start gap-2 px-1">
          <div className="min-w-0 flex-1">
            <h3 className="line-clamp-2 text-sm font-medium" title={newest!.prompt}>
              {newest!.prompt}
            </h3>
            <p className="text-xs text-muted">
              {t("takes", { count: block.takes.length })} · {isModelId(newest!.model) ? MODELS[newest!.model].label : newest!.model}
            </p>
          </div>
          <Button size="sm" className="shrink-0 text-xs" onClick={() => void onRemix(newest!)}>
            <RemixIcon />
            {t("remixPrompt")}
          </Button>
        </header>
        {tiles.length > 0 && <TileRows>{tiles.map((g) => tile(g, false))}</TileRows>}
        {failures.map((g) => (
          <FailureRow key={g.id} generation={g} onRemix={() => void onRemix(g)} />
        ))}
      </section>
    );
  };

  const first = virtualItems[0];
  const last = virtualItems.at(-1);
  const filtered = hasFilters(filter);

  return (
    <section ref={section} aria-label={t("gallery")} className="flex min-w-0 flex-col gap-3 max-lg:min-h-dvh">
      <div className="flex flex-wrap items-center gap-2">
        <ChoiceChips
          label={t("filterStatus")}
          name="status-filter"
          choices={STATUS_FILTERS.map((s) => ({ value: s.value, label: t(s.label) }))}
          value={filter.status ?? ""}
          onChange={(status) => setFilter((f) => ({ ...f, status: status || undefined }))}
        />
        <button
          type="button"
          aria-pressed={Boolean(filter.favorite)}
          onClick={() => setFilter((f) => ({ ...f, favorite: f.favorite ? undefined : true }))}
          className="inline-flex items-center gap-1 rounded-xl border border-line bg-surface px-2.5 py-1.5 text-xs aria-pressed:border-amber-500 aria-pressed:bg-amber-500/10"
        >
          <StarIcon className={filter.favorite ? "fill-amber-400 text-amber-500" : ""} />
          {t("favorites")}
        </button>
        <label htmlFor="model-filter" className="sr-only">
          {t("filterModel")}
        </label>
        <Select compact id="model-filter" value={filter.model ?? ""} onChange={(e) => setFilter((f) => ({ ...f, model: e.target.value || undefined }))}>
          <option value="">{t("allModels")}</option>
          {MODEL_MENU_ORDER.map((id) => (
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
          placeholder={t("searchPlaceholder")}
          defaultValue=""
          onChange={(e) => setSearch(e.target.value)}
          className="min-w-40 flex-1 basis-full rounded-lg border border-line bg-surface px-3 py-1.5 text-sm sm:basis-0"
        />
        {query.isPlaceholderData && (
          <span role="status" className="text-xs text-muted">
            {t("finding")}
          </span>
        )}
        {filtered && (
          <Button className="text-xs" onClick={clearFilters}>
            {t("clearFiltersButton")}
          </Button>
        )}
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
      <FilmsStrip initialStoryboards={initialStoryboards} filter={filter} onOpen={(id) => setStoryboard({ id })} />
      {items.length === 0 && !query.isFetching && (
        <div className="flex flex-col items-center justify-center gap-3 rounded-2xl border border-dashed border-line bg-surface p-12 text-center">
          <p className="font-medium">{filtered ? t("noMatch") : t("noClips")}</p>
          {filtered ? (
            <Button onClick={clearFilters}>{t("clearFiltersButton")}</Button>
          ) : (
            <p className="text-sm text-muted">{t("emptyHint")}</p>
          )}
        </div>
      )}
      <div
        ref={list}
        role="list"
        aria-label={t("clips")}
        // The previous filter's clips, kept while the new ones load: shown, but plainly not the answer yet.
        aria-busy={query.isPlaceholderData || undefined}
        className={`${ROW_HEIGHT_CLASSES} transition-opacity aria-busy:opacity-50`}
        style={{ paddingTop: first ? first.start - frame.top : 0, paddingBottom: last ? virtualizer.getTotalSize() - (last.end - frame.top) : 0 }}
      >
        {virtualItems.map((item) => (
          <div key={item.key} role="listitem" data-index={item.index} ref={virtualizer.measureElement} style={{ paddingBottom: BLOCK_GAP }}>
            {renderBlock(blocks[item.index]!)}
          </div>
        ))}
      </div>
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
          position={{ index: openIndex, count: items.length }}
          onClose={() => setOpenId(null)}
          onStep={(delta) => {
            const next = items[openIndex + delta];
            if (next) setOpenId(next.id);
            // Stepping past the loaded clips asks for the next page.
            if (openIndex + delta >= items.length - 2 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
          }}
          actions={
            {
              onRemix: (g) => void onRemix(g),
              onContinue: (g) => void onContinue(g),
              onUseFrame: (url, as) => void onUseFrame(url, as),
              onDerive,
              onAddToStoryboard: (g) => setStoryboard({ generationIds: [g.id] }),
            } satisfies PlayerActions
          }
        />
      )}
      {storyboard && <StoryboardPanel source={storyboard} onClose={() => setStoryboard(null)} />}
    </section>
  );
}

/**
 * Justified rows in CSS alone: each tile's basis is the row height times its aspect ratio and it
 * grows in that proportion (ClipTile), so a row's tiles share one height, whatever their shapes.
 */
function TileRows({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap" style={{ gap: TILE_GAP }}>
      {children}
    </div>
  );
}
