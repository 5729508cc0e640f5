"use client";

// The studio's live parts: everything that reads or writes the query cache (TanStack Query) or
// listens to the event stream. The studio loads this module on its own, after the page's first
// JavaScript, so the form is interactive sooner; the server still renders these parts in full.
import { QueryClientProvider } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Generation } from "@/lib/dto/generation";
import type { UsageSummary } from "@/lib/dto/usage";
import { isTerminal } from "@/lib/status";
import { fetchJson } from "@/lib/query/client";
import { useGenerationEvents } from "@/lib/query/events";
import { upsertGeneration, type GenerationPage } from "@/lib/query/generations";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import { getQueryClient } from "@/lib/query/query-client";
import { site } from "@/lib/site";
import { Gallery } from "./gallery";
import { setUsage } from "./usage-store";

function WithQueryClient({ children }: { children: ReactNode }) {
  const [client] = useState(getQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** A clip the form just created, into every gallery list of this tab. */
export function publishGeneration(generation: Generation) {
  upsertGeneration(getQueryClient(), generation);
}

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
    // Finished, and not by the creator's own cancel or delete.
    if (!isTerminal(g.status) || g.status === "cancelled") return;
    setUnseen((n) => n + 1);
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(g.status === "succeeded" ? messages.ready : messages.notFinished, { body: g.prompt.slice(0, 120), tag: g.id });
    }
  }, [messages]);
}
import type { Derivation } from "./clip-card";

interface LiveGalleryProps {
  initialPage: GenerationPage;
  initialStoryboards: StoryboardDto[];
  /** The last event id before `initialPage` was read. */
  eventCursor: number;
  onRemix: (g: Generation) => Promise<void>;
  onContinue: (g: Generation) => Promise<void>;
  onUseFrame: (image: string, field: "firstFrame" | "lastFrame") => void;
  onDerive: (g: Generation, how: Derivation) => void;
}

/** The gallery, kept current by the event stream. */
export function LiveGallery(props: LiveGalleryProps) {
  return (
    <WithQueryClient>
      <Live {...props} />
    </WithQueryClient>
  );
}

function Live({ initialPage, initialStoryboards, eventCursor, onRemix, onContinue, onUseFrame, onDerive }: LiveGalleryProps) {
  const t = useTranslations("studio");
  const alertTexts = useMemo(() => ({ ready: t("clipReady"), notFinished: t("clipNotFinished") }), [t]);
  const onFinished = useHiddenTabAlerts(alertTexts);
  const seen = useRef(new Map<string, string>());
  // The gallery's one polite live region: each card's status is a status role for tests and
  // screen-reader browsing, but not live (aria-live off), or a batch would chatter card by card.
  const [announcement, setAnnouncement] = useState("");
  useGenerationEvents(
    useCallback(
      (g: Generation) => {
        const before = seen.current.get(g.id);
        seen.current.set(g.id, g.status);
        if (before !== g.status) onFinished(g);
        if (before && before !== g.status && isTerminal(g.status) && g.status !== "cancelled") {
          setAnnouncement(`${g.status === "succeeded" ? t("clipReady") : t("clipNotFinished")}: ${g.prompt.slice(0, 80)}`);
        }
        if (before !== g.status && g.status === "succeeded") {
          void fetchJson<UsageSummary>("/api/usage").then(setUsage, () => undefined);
        }
      },
      [onFinished, t],
    ),
    eventCursor,
  );
  return (
    <>
      <Gallery initialPage={initialPage} initialStoryboards={initialStoryboards} onRemix={onRemix} onContinue={onContinue} onUseFrame={onUseFrame} onDerive={onDerive} />
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </>
  );
}
