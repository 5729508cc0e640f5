"use client";

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { Generation } from "@/lib/generations/dto";
import { dataUrlFromUrl } from "@/lib/images/prepare";
import { DEFAULT_MODEL, MODELS, isModelId } from "@/lib/seedance/models";
import { requestWithDataUrls } from "./request-images";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { UsageSummary } from "@/lib/generations/service";
import { fetchJson } from "@/lib/query/client";
import type { PriceTable } from "@/lib/seedance/pricing";
import { useFormatter, useTranslations } from "next-intl";
import { useGenerationEvents } from "@/lib/query/events";
import { LocaleSwitch } from "./locale-switch";
import { useGalleryCache, type GenerationPage } from "@/lib/query/generations";
import { Gallery } from "./gallery";
import { GenerationForm, type FormPreset, type FormValues } from "./generation-form";
import { site } from "@/lib/site";

/** The form values that reproduce a clip (images included, as our own URLs). */
export function valuesFromGeneration(g: Generation): FormValues {
  const { fps: _fps, ...request } = g.request;
  void _fps;
  return { ...request, seed: g.seed ?? request.seed };
}

const noSubscription = () => () => {};

/** Finished-while-hidden: a count in the tab title and, once allowed, a notification. */
function useHiddenTabAlerts(messages: { ready: string; notFinished: string }) {
  const [unseen, setUnseen] = useState(0);
  useEffect(() => {
    document.title = unseen > 0 ? `(${unseen}) ${site.name}` : site.name;
  }, [unseen]);
  useEffect(() => {
    const onVisible = () => document.visibilityState === "visible" && setUnseen(0);
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, []);
  return useCallback((g: Generation) => {
    if (document.visibilityState !== "hidden") return;
    if (g.status !== "succeeded" && g.status !== "failed" && g.status !== "expired") return;
    setUnseen((n) => n + 1);
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(g.status === "succeeded" ? messages.ready : messages.notFinished, { body: g.prompt.slice(0, 120), tag: g.id });
    }
  }, [messages]);
}

interface StudioProps {
  initialPage: GenerationPage;
  /** The last event id before `initialPage` was read. */
  eventCursor: number;
  simulator: boolean;
  usage: UsageSummary;
  prices: PriceTable;
}

export function Studio({ initialPage, eventCursor, simulator, usage: initialUsage, prices }: StudioProps) {
  const t = useTranslations("studio");
  const format = useFormatter();
  const cache = useGalleryCache();
  const queryClient = useQueryClient();
  const compact = (n: number) => format.number(n, { notation: "compact", maximumFractionDigits: 1 });
  const { data: usage } = useQuery({
    queryKey: ["usage"],
    queryFn: () => fetchJson<UsageSummary>("/api/usage"),
    initialData: initialUsage,
  });
  const alertTexts = useMemo(() => ({ ready: t("clipReady"), notFinished: t("clipNotFinished") }), [t]);
  const onFinished = useHiddenTabAlerts(alertTexts);
  const seen = useRef(new Map<string, string>());
  useGenerationEvents(
    useCallback(
      (g: Generation) => {
        const before = seen.current.get(g.id);
        seen.current.set(g.id, g.status);
        if (before !== g.status) onFinished(g);
        if (before !== g.status && g.status === "succeeded") void queryClient.invalidateQueries({ queryKey: ["usage"] });
      },
      [onFinished, queryClient],
    ),
    eventCursor,
  );
  const [preset, setPreset] = useState<FormPreset>();
  const formPane = useRef<HTMLElement>(null);
  const [askedPermission, setAskedPermission] = useState<NotificationPermission>();
  const browserPermission = useSyncExternalStore(
    noSubscription,
    () => ("Notification" in window ? Notification.permission : "unsupported"),
    () => "unsupported" as const,
  );
  const notifications = askedPermission ?? browserPermission;

  const load = (next: Omit<FormPreset, "nonce">) => {
    setPreset({ ...next, nonce: Date.now() });
    formPane.current?.scrollIntoView({ behavior: "smooth", block: "start" });
    formPane.current?.querySelector<HTMLTextAreaElement>("#prompt")?.focus({ preventScroll: true });
  };

  return (
    <div className="mx-auto flex max-w-[1600px] flex-col gap-4 p-3 sm:p-4">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-lg font-semibold tracking-tight">
          <span aria-hidden className="mr-1.5 inline-block h-3 w-3 rounded-full bg-accent align-middle" />
          {site.name}
        </h1>
        <div className="flex items-center gap-3 text-xs text-muted">
          <span title={t("usageHint")} aria-label={t("usageLabel")}>
            {t("usage", { today: compact(usage.today.tokens), month: compact(usage.month.tokens) })}
          </span>
          <LocaleSwitch />
          {simulator && (
            <span className="rounded-full border border-line px-2 py-0.5" title={t("simulatorHint")}>
              {t("simulator")}
            </span>
          )}
          {notifications === "default" && (
            <button
              type="button"
              className="underline hover:text-ink"
              onClick={() => void Notification.requestPermission().then(setAskedPermission)}
            >
              {t("notifyMe")}
            </button>
          )}
        </div>
      </header>
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(360px,440px)_1fr]">
        <section ref={formPane} aria-label={t("create")} className="rounded-2xl border border-line bg-surface p-4 lg:sticky lg:top-4 lg:max-h-[calc(100dvh-2rem)] lg:overflow-y-auto">
          <GenerationForm key={preset?.nonce ?? "new"} preset={preset} onCreated={cache.upsert} prices={prices} />
        </section>
        <Gallery
          initialPage={initialPage}
          onRemix={async (g) =>
            load({ values: await requestWithDataUrls(valuesFromGeneration(g)), note: t("remixNote", { prompt: g.prompt.slice(0, 60) }) })
          }
          onContinue={async (g) => {
            if (!g.lastFrameUrl) return;
            const firstFrame = await dataUrlFromUrl(g.lastFrameUrl);
            const values = valuesFromGeneration(g);
            // A text-only model cannot start from a frame: switch to the default image-capable one.
            const model = isModelId(values.model) && MODELS[values.model].acceptsFirstFrame ? values.model : DEFAULT_MODEL;
            load({
              values: { ...values, model, firstFrame, lastFrame: undefined, seed: undefined },
              parentId: g.id,
              note: t("continueNote"),
            });
          }}
        />
      </div>
    </div>
  );
}
