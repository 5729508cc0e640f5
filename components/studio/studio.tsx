"use client";

import { lazy, memo, Suspense, useCallback, useEffect, useRef, useState, type ComponentProps } from "react";
import type { Generation } from "@/lib/dto/generation";
import { DEFAULT_DURATION, DEFAULT_MODEL, MODEL_IDS, MODELS, isModelId, type ModelId } from "@/lib/seedance/models";
import { mayHaveDraft } from "@/components/composer/draft-hint";
import type { UsageSummary } from "@/lib/dto/usage";
import type { PriceTable } from "@/lib/seedance/pricing";
import { useTranslations } from "next-intl";
import type { PreformattedNumbers } from "@/lib/i18n/numbers";
import { PreformattedNumbersProvider } from "@/lib/i18n/use-format-number";
import { RenderTimeProvider } from "@/lib/client/render-time";
import { StudioHeader } from "./studio-header";
import { useSheetHeight } from "./use-sheet-height";
import { useUsage } from "./usage-store";
import type { GenerationPage } from "@/lib/query/generations";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import { DEFAULT_VALUES, type FormPreset, type FormValues } from "@/components/composer/form-values";
import { revealGeneration } from "./reveal";
import { requestFrame, requestReference } from "@/components/composer/form-requests";
import { rules } from "@/components/composer/form-code";
import type { Derivation } from "./clip-card";
import { lazyRenderedOnServer } from "@/lib/client/lazy-rendered-on-server";
import { whenIdle } from "@/lib/client/when-idle";
import { COMPOSER_END_ID } from "./first-paint";

// The gallery (the query cache, the event stream) loads after the page's first JavaScript: the
// server renders it in full, and it hydrates when its code arrives, so the form is interactive
// sooner.
const LiveGallery = lazy(() => import("./live").then((m) => ({ default: m.LiveGallery })));
// Memoized with its Suspense boundary: a re-render of the studio while the gallery's code is
// still on its way must not reach the boundary, or React drops the server's HTML and shows it
// again from scratch (a flash, and a layout shift).
const LiveGallerySlot = memo(function LiveGallerySlot(props: ComponentProps<typeof LiveGallery>) {
  return (
    <Suspense fallback={null}>
      <LiveGallery {...props} />
    </Suspense>
  );
});
// The form, the same way but rendered on the server in the first pass: its HTML is the page's
// first paint (and takes typing before any script runs), its code (react-hook-form, the rules)
// arrives as its own chunk.
const GenerationForm = lazyRenderedOnServer(
  typeof window === "undefined"
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- server only: see lazyRenderedOnServer
      { default: (require("@/components/composer/generation-form") as typeof import("@/components/composer/generation-form")).GenerationForm }
    : undefined,
  () => import("@/components/composer/generation-form").then((m) => ({ default: m.GenerationForm })),
);
/** A clip the form just made: into the gallery's lists, and into view (reveal.ts). */
const publishGeneration = (g: Generation) => {
  revealGeneration(g.id);
  void import("./live").then((m) => m.publishGeneration(g));
};

/** The model that edits and extends a video (2.5's task types). */
const EDITING_MODEL = MODEL_IDS.find((id) => MODELS[id].acceptsTaskOptions) as ModelId;

/** The form values that reproduce a clip (images included, as our own URLs). */
export function valuesFromGeneration(g: Generation): FormValues {
  const { fps: _fps, ...request } = g.request;
  void _fps;
  return { ...request, seed: g.seed ?? request.seed };
}

interface StudioProps {
  initialPage: GenerationPage;
  /** The last event id before `initialPage` was read. */
  eventCursor: number;
  simulator: boolean;
  usage: UsageSummary;
  prices: PriceTable;
  /** The numbers of the first render, formatted by the server. */
  numbers: PreformattedNumbers;
  /** Storyboards as the page was rendered: their films show in the gallery from the start. */
  initialStoryboards: StoryboardDto[];
  /** When the server rendered the page (ms since the epoch): the clips' clocks start from it. */
  renderedAt: number;
}

export function Studio({ numbers, renderedAt, ...props }: StudioProps) {
  return (
    <PreformattedNumbersProvider numbers={numbers}>
      <RenderTimeProvider value={renderedAt}>
        <StudioLayout {...props} />
      </RenderTimeProvider>
    </PreformattedNumbersProvider>
  );
}

function StudioLayout({ initialPage, initialStoryboards, eventCursor, simulator, usage: initialUsage, prices }: Omit<StudioProps, "numbers" | "renderedAt">) {
  const t = useTranslations("studio");
  const tf = useTranslations("form");
  const usage = useUsage(initialUsage);
  const [preset, setPreset] = useState<FormPreset>();
  const formPane = useRef<HTMLElement>(null);
  const mainPane = useRef<HTMLElement>(null);
  useSheetHeight(formPane, mainPane);

  const load = useCallback((next: Omit<FormPreset, "nonce">) => {
    setPreset({ ...next, nonce: Date.now() });
    formPane.current?.scrollIntoView({ behavior: "smooth", block: "start" });
    formPane.current?.querySelector<HTMLTextAreaElement>("#prompt")?.focus({ preventScroll: true });
  }, []);
  // A draft saved before a reload comes back once, when the page is idle after hydration
  // (form-draft.ts; the hint's localStorage read is slow the first time: lib/client/when-idle.ts).
  useEffect(() => {
    let live = true;
    const cancel = whenIdle(() => {
      if (!mayHaveDraft()) return;
      import("@/components/composer/form-draft")
        .then((drafts) => drafts.readDraft())
        .then((draft) => {
          // Someone already typing (the form shows before the page's code runs) keeps what they type.
          const typing = Boolean(formPane.current?.querySelector<HTMLTextAreaElement>("#prompt")?.value);
          if (live && draft && !typing) setPreset((current) => current ?? { ...draft, note: t("draftRestored"), restored: true, nonce: Date.now() });
        })
        .catch(() => undefined);
    });
    return () => {
      live = false;
      cancel();
    };
  }, [t]);
  const restart = useCallback((values: FormValues) => setPreset({ values, nonce: Date.now() }), []);
  const startOver = useCallback(() => {
    void import("@/components/composer/form-draft").then((drafts) => drafts.clearDraft());
    setPreset({ values: DEFAULT_VALUES, nonce: Date.now() });
  }, []);
  // Stable, for LiveGallerySlot's memo.
  const onRemix = useCallback(
    async (g: Generation) => {
      const [{ requestWithDataUrls }, contract] = await Promise.all([import("@/components/composer/request-images"), rules.load()]);
      // Stored references go back as our own names (`media:refs/...`, `clip:<id>`): sent again, not uploaded again.
      const { request, missing } = await requestWithDataUrls(contract.resendableReferences(valuesFromGeneration(g)));
      const note = [t("remixNote", { prompt: g.prompt.slice(0, 60) }), ...missing.map((field) => t(field === "firstFrame" ? "firstFrameMissing" : "lastFrameMissing"))];
      load({ values: request, note: note.join(" ") });
    },
    [load, t],
  );
  const onContinue = useCallback(
    async (g: Generation) => {
      if (!g.lastFrameUrl) return;
      const values = valuesFromGeneration(g);
      let firstFrame: string | undefined;
      try {
        const { dataUrlFromUrl } = await import("@/lib/images/prepare");
        firstFrame = await dataUrlFromUrl(g.lastFrameUrl);
      } catch {
        // The prompt and settings still come back; the note says the frame did not.
      }
      // A text-only model cannot start from a frame: switch to the default image-capable one.
      const model = isModelId(values.model) && MODELS[values.model].acceptsFirstFrame ? values.model : DEFAULT_MODEL;
      load({
        values: { ...values, model, firstFrame, lastFrame: undefined, seed: undefined },
        parentId: firstFrame ? g.id : undefined,
        // Continue is a mode, shown as a chip until the creator removes it (generation-form.tsx).
        continueFrom: firstFrame ? { id: g.id, thumb: g.lastFrameUrl, prompt: g.prompt } : undefined,
        note: firstFrame ? undefined : t("continueFrameMissing"),
      });
    },
    [load, t],
  );

  const toForm = useCallback(() => formPane.current?.scrollIntoView({ behavior: "smooth", block: "start" }), []);
  const onDerive = useCallback(
    async (g: Generation, how: Derivation) => {
      const clip = `clip:${g.id}`;
      const clipMeta = { preview: g.videoUrl ?? undefined, seconds: g.duration ?? undefined, name: g.prompt };
      if (how === "reference") {
        requestReference({ kind: "video", ref: clip, meta: clipMeta });
        return toForm();
      }
      if (how === "referencePoster" || how === "referenceLastFrame") {
        const url = how === "referencePoster" ? g.posterUrl : g.lastFrameUrl;
        if (!url) return;
        const blob = await (await fetch(url)).blob();
        requestReference({ file: new File([blob], url.split("/").pop() ?? "still", { type: blob.type }) });
        return toForm();
      }
      // 2.5 with the clip as its reference video and the task type said outright (an edit keeps
      // the clip's length, an extend adds one); the result joins the clip's chain.
      const { fps: _fps, ...request } = g.request;
      void _fps;
      load({
        values: {
          model: EDITING_MODEL,
          prompt: "",
          resolution: MODELS[EDITING_MODEL].resolutions.includes(request.resolution ?? "720p") ? request.resolution : "720p",
          ratio: "adaptive",
          duration: how === "edit" ? -1 : DEFAULT_DURATION,
          generate_audio: true,
          watermark: request.watermark,
          referenceVideos: [clip],
          omni_reference_task_type: how,
        },
        parentId: g.id,
        note: tf(how === "extend" ? "extendNote" : "editNote", { prompt: g.prompt.slice(0, 60) }),
        promptHint: tf(how === "extend" ? "extendHint" : "editHint"),
        referenceMeta: { [clip]: clipMeta },
      });
    },
    [load, tf, toForm],
  );

  const onUseFrame = useCallback((image: string, field: "firstFrame" | "lastFrame") => {
    requestFrame({ image, field });
    formPane.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, []);

  return (
    <div className="mx-auto flex max-w-[1600px] flex-col gap-4 p-3 sm:p-4">
      <StudioHeader usage={usage} simulator={simulator} />
      {/* On a phone the composer is a sheet over the gallery: its height pads the gallery's end (use-sheet-height.ts). */}
      <main ref={mainPane} id="main" className="grid items-start gap-4 lg:grid-cols-[minmax(360px,440px)_1fr]">
        <section
          ref={formPane}
          aria-label={t("create")}
          className="scroll-mt-2 rounded-2xl border border-line bg-surface p-4 max-lg:fixed max-lg:inset-x-0 max-lg:bottom-0 max-lg:z-30 max-lg:max-h-[85dvh] max-lg:overflow-y-auto max-lg:rounded-b-none max-lg:p-3 max-lg:shadow-[0_-8px_30px_rgba(0,0,0,0.18)] lg:sticky lg:top-4 lg:max-h-[calc(100dvh-2rem)] lg:overflow-y-auto"
        >
          <GenerationForm key={preset?.nonce ?? "new"} preset={preset} onCreated={publishGeneration} onStartOver={startOver} onRestart={restart} prices={prices} />
        </section>
        <span id={COMPOSER_END_ID} hidden />
        <LiveGallerySlot initialPage={initialPage} initialStoryboards={initialStoryboards} eventCursor={eventCursor} onRemix={onRemix} onContinue={onContinue} onUseFrame={onUseFrame} onDerive={onDerive} />
      </main>
    </div>
  );
}
