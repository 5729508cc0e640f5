"use client";

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { useFormatter, useTranslations } from "next-intl";

/** The shortest part of a clip a film can keep: one frame at the film's 24 fps. */
export const MIN_KEPT_SEC = 1 / 24;
const FRAMES = 8;

export interface Trim {
  start: number;
  /** null: to the clip's end. */
  end: number | null;
}

/** What is wrong with a trim of a clip `duration` seconds long (null when unknown), or null when it is fine. */
export function trimProblem({ start, end }: Trim, duration: number | null): { key: "trimNegative" | "trimPastEnd" | "trimStartAfterEnd"; start: number; end: number } | null {
  const to = end ?? duration;
  if (!Number.isFinite(start) || start < 0) return { key: "trimNegative", start, end: to ?? 0 };
  if (duration !== null && end !== null && end > duration + 1e-6) return { key: "trimPastEnd", start, end };
  if (to !== null && to - start < MIN_KEPT_SEC - 1e-6) return { key: "trimStartAfterEnd", start, end: to };
  return null;
}

const round = (s: number) => Math.round(s * 100) / 100;
/** To hundredths, but never outside [lo, hi] (rounding up could make the kept part shorter than a frame). */
const roundWithin = (s: number, lo: number, hi: number) => {
  const r = round(Math.min(hi, Math.max(lo, s)));
  return r > hi ? Math.floor(hi * 100) / 100 : r < lo ? Math.ceil(lo * 100) / 100 : r;
};

/**
 * Frames of a clip for its filmstrip, taken in the browser from our own (same-origin) MP4: a muted
 * video element seeks to each point and a canvas keeps a small JPEG. Runs once per clip, when the
 * strip is shown; until then (or if it fails) the poster stands in.
 */
function useFilmstrip(videoUrl: string | null, duration: number | null): string[] {
  const [frames, setFrames] = useState<string[]>([]);
  useEffect(() => {
    if (!videoUrl || !duration) return;
    let cancelled = false;
    const video = document.createElement("video");
    video.muted = true;
    video.preload = "auto";
    video.src = videoUrl;
    const canvas = document.createElement("canvas");
    const taken: string[] = [];
    const seekTo = (i: number) => {
      video.currentTime = Math.min(duration - 0.05, ((i + 0.5) / FRAMES) * duration);
    };
    video.addEventListener("loadeddata", () => {
      canvas.height = 48;
      canvas.width = Math.round((48 * video.videoWidth) / Math.max(1, video.videoHeight));
      seekTo(0);
    });
    video.addEventListener("seeked", () => {
      if (cancelled) return;
      canvas.getContext("2d")?.drawImage(video, 0, 0, canvas.width, canvas.height);
      taken.push(canvas.toDataURL("image/jpeg", 0.6));
      if (taken.length < FRAMES) seekTo(taken.length);
      else {
        setFrames(taken);
        video.removeAttribute("src");
        video.load();
      }
    });
    return () => {
      cancelled = true;
      video.removeAttribute("src");
      video.load();
    };
  }, [videoUrl, duration]);
  return frames;
}

interface TrimTimelineProps {
  n: number;
  duration: number | null;
  trim: Trim;
  posterUrl: string | null;
  videoUrl: string | null;
  disabled: boolean;
  /** A valid trim the creator settled on (a handle let go, a field left). */
  onCommit: (trim: Trim) => void;
}

/**
 * A clip's filmstrip with draggable in and out points (pointer, or arrow keys on a focused handle:
 * 0.1 s, Shift 1 s, Home and End), beside the exact numbers. Every change is checked as it happens:
 * a trim that keeps nothing, starts before 0 or ends past the clip is shown as refused at once and
 * never saved; handles cannot cross.
 */
export function TrimTimeline({ n, duration, trim, posterUrl, videoUrl, disabled, onCommit }: TrimTimelineProps) {
  const t = useTranslations("storyboard");
  const format = useFormatter();
  const [draft, setDraft] = useState<{ start: string; end: string } | null>(null);
  const track = useRef<HTMLDivElement>(null);
  const frames = useFilmstrip(videoUrl, duration);
  const fmt = (s: number) => format.number(s, { maximumFractionDigits: 2 });

  const shown = draft ?? { start: String(trim.start), end: trim.end === null ? (duration !== null ? String(duration) : "") : String(trim.end) };
  const parsed: Trim = { start: shown.start.trim() === "" ? 0 : Number(shown.start), end: shown.end.trim() === "" ? null : Number(shown.end) };
  const problem = Number.isNaN(parsed.start) || (parsed.end !== null && Number.isNaN(parsed.end)) ? { key: "trimNegative" as const, start: 0, end: 0 } : trimProblem(parsed, duration);
  const errorId = `trim-error-${n}`;

  const commit = (next: Trim) => {
    // "To the end" is kept as null, so a re-trimmed longer clip still plays to its end.
    const end = next.end !== null && duration !== null && Math.abs(next.end - duration) < 1e-6 ? null : next.end;
    if (trimProblem(next, duration)) return;
    setDraft(null);
    if (next.start !== trim.start || end !== trim.end) onCommit({ start: next.start, end });
  };
  const end = parsed.end ?? duration ?? 0;
  const pct = (s: number) => (duration ? `${(Math.min(Math.max(s, 0), duration) / duration) * 100}%` : "0%");

  // Dragging: the handle follows the pointer along the track, clamped so the kept part stays at least a frame.
  const drag = (which: "start" | "end") => ({
    onPointerDown: (e: PointerEvent<HTMLDivElement>) => {
      if (disabled || !duration) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      e.currentTarget.focus();
    },
    onPointerMove: (e: PointerEvent<HTMLDivElement>) => {
      if (!e.currentTarget.hasPointerCapture(e.pointerId) || !track.current || !duration) return;
      const box = track.current.getBoundingClientRect();
      const at = ((e.clientX - box.left) / box.width) * duration;
      const value = which === "start" ? roundWithin(at, 0, end - MIN_KEPT_SEC) : roundWithin(at, parsed.start + MIN_KEPT_SEC, duration);
      setDraft({ ...shown, [which]: String(value) });
    },
    onPointerUp: (e: PointerEvent<HTMLDivElement>) => {
      if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
      e.currentTarget.releasePointerCapture(e.pointerId);
      commit(parsed);
    },
    onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => {
      if (disabled || !duration) return;
      const step = e.shiftKey ? 1 : 0.1;
      const current = which === "start" ? parsed.start : end;
      const lo = which === "start" ? 0 : parsed.start + MIN_KEPT_SEC;
      const hi = which === "start" ? end - MIN_KEPT_SEC : duration;
      const next = { ArrowLeft: current - step, ArrowDown: current - step, ArrowRight: current + step, ArrowUp: current + step, Home: lo, End: hi }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      const value = roundWithin(next, lo, hi);
      commit(which === "start" ? { start: value, end: parsed.end ?? duration } : { start: parsed.start, end: value });
    },
  });

  const handle = (which: "start" | "end") => {
    const value = which === "start" ? parsed.start : end;
    return (
      <div
        role="slider"
        tabIndex={disabled || !duration ? -1 : 0}
        aria-label={t(which === "start" ? "inPoint" : "outPoint", { n })}
        aria-valuemin={0}
        aria-valuemax={duration ?? 0}
        aria-valuenow={round(value)}
        aria-valuetext={t("seconds", { s: fmt(value) })}
        aria-disabled={disabled || undefined}
        {...drag(which)}
        className="absolute inset-y-0 z-10 w-3 -translate-x-1/2 cursor-ew-resize touch-none rounded-sm bg-accent shadow outline-offset-1 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
        style={{ left: pct(value) }}
      >
        <span aria-hidden className="absolute inset-y-2 left-1/2 w-px -translate-x-1/2 bg-white/80" />
      </div>
    );
  };

  return (
    <div className="flex w-full flex-col gap-1.5">
      {/* Not clipped itself: a handle at either end stands half outside the strip, grabbable whole. */}
      <div ref={track} className="relative mx-1.5 h-12">
        <div aria-hidden className="absolute inset-0 flex overflow-hidden rounded-lg bg-black">
          {frames.length > 0
            ? // eslint-disable-next-line @next/next/no-img-element -- frames made in the browser (data: URLs)
              frames.map((src, i) => <img key={i} src={src} alt="" className="h-full min-w-0 flex-1 object-cover" />)
            : posterUrl && (
                // eslint-disable-next-line @next/next/no-img-element -- our own poster, as a stand-in
                <img src={posterUrl} alt="" className="h-full w-full object-cover opacity-80" />
              )}
        </div>
        {/* The parts the film leaves out, dimmed. */}
        <div aria-hidden className="absolute inset-y-0 left-0 rounded-l-lg bg-black/65" style={{ width: pct(parsed.start) }} />
        <div aria-hidden className="absolute inset-y-0 right-0 rounded-r-lg bg-black/65" style={{ left: pct(end) }} />
        <div aria-hidden className={`absolute inset-y-0 border-y-2 ${problem ? "border-red-500" : "border-accent"}`} style={{ left: pct(parsed.start), right: `calc(100% - ${pct(end)})` }} />
        {handle("start")}
        {handle("end")}
      </div>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        {(["start", "end"] as const).map((which) => (
          <label key={which} className="flex items-center gap-1">
            {t(which)}
            <input
              type="number"
              inputMode="decimal"
              min={0}
              max={duration ?? undefined}
              step={0.05}
              aria-label={t(which === "start" ? "trimStart" : "trimEnd", { n })}
              aria-invalid={Boolean(problem)}
              aria-describedby={problem ? errorId : undefined}
              value={shown[which]}
              disabled={disabled}
              onChange={(e) => setDraft({ ...shown, [which]: e.target.value })}
              onBlur={() => draft && commit(parsed)}
              onKeyDown={(e) => e.key === "Enter" && draft && commit(parsed)}
              className="w-16 rounded-lg border border-line bg-surface px-1 py-0.5 aria-[invalid=true]:border-red-500"
            />
          </label>
        ))}
        {!problem && duration !== null && <span className="text-muted">{t("keeps", { kept: fmt(Math.max(0, end - parsed.start)), total: fmt(duration) })}</span>}
      </div>
      {problem && (
        <p id={errorId} role="alert" className="text-xs text-red-700 dark:text-red-300">
          {problem.key === "trimPastEnd"
            ? t("trimPastEnd", { seconds: fmt(duration ?? 0) })
            : problem.key === "trimStartAfterEnd"
              ? t("trimStartAfterEnd", { start: fmt(problem.start), end: fmt(problem.end) })
              : t("trimNegative")}
        </p>
      )}
    </div>
  );
}
