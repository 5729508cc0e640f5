"use client";

import { useId, useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import { useTranslations } from "next-intl";
import type { Coded } from "@/lib/errors/codes";
import { CodedError } from "@/lib/errors/coded-error";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { rules } from "./form-code";

interface FrameSlotProps {
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  /** The output's width / height when it is fixed (not adaptive): the part of the image kept is outlined. */
  cropAspect?: number;
  error?: string;
  disabledReason?: string;
}

/** One image input: click to choose, drag and drop, paste, or an https URL; checked before sending. */
export function FrameSlot({ label, value, onChange, error, disabledReason, cropAspect }: FrameSlotProps) {
  const t = useTranslations("frame");
  const translate = useErrorText();
  const inputId = useId();
  const urlId = useId();
  const errorId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [localError, setLocalError] = useState<Coded | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [urlDraft, setUrlDraft] = useState("");
  const disabled = Boolean(disabledReason) && !value;
  const shownError = translate(localError ?? error);

  async function accept(file: Blob | null | undefined) {
    if (!file) return;
    setLocalError(null);
    setNote(null);
    try {
      // Loaded with the first image: the decode-and-resize code stays out of the first load.
      const { prepareImage } = await import("@/lib/images/prepare");
      const prepared = await prepareImage(file);
      const kb = Math.round(prepared.bytes / 1024);
      setNote(
        prepared.convertedFrom
          ? t("converted", { format: prepared.convertedFrom, width: prepared.width, height: prepared.height, kb })
          : prepared.resizedFrom
            ? t("resized", { width: prepared.resizedFrom.width, height: prepared.resizedFrom.height, kb })
            : t("size", { width: prepared.width, height: prepared.height, kb }),
      );
      onChange(prepared.dataUrl);
    } catch (e) {
      setLocalError(e instanceof CodedError ? e.error : { code: "image_unreadable", params: {} });
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    const file = event.dataTransfer.files[0];
    if (file) void accept(file);
    else {
      const url = event.dataTransfer.getData("text/uri-list") || event.dataTransfer.getData("text/plain");
      if (url) void applyUrl(url.trim());
    }
  }

  function onPaste(event: ClipboardEvent) {
    if (disabled) return;
    const item = Array.from(event.clipboardData.items).find((i) => i.kind === "file" && i.type.startsWith("image/"));
    if (item) {
      event.preventDefault();
      void accept(item.getAsFile());
    }
  }

  async function applyUrl(url: string) {
    let problem: Coded | null;
    try {
      problem = (await rules.load()).imageUrlProblem(url);
    } catch (e) {
      // The rules' chunk did not arrive (offline): say the image could not be checked.
      setLocalError(e instanceof CodedError ? e.error : { code: "image_not_loaded", params: {} });
      return;
    }
    if (problem) {
      setLocalError(problem);
      return;
    }
    setLocalError(null);
    setNote(t("linked"));
    onChange(url);
    setUrlDraft("");
  }

  return (
    <div className="flex flex-col gap-1.5" onPaste={onPaste}>
      <div className="flex items-center justify-between">
        <label htmlFor={inputId} className="text-sm font-medium">
          {label}
        </label>
        {value && (
          <button
            type="button"
            className="text-xs text-muted underline hover:text-ink"
            onClick={() => {
              onChange(undefined);
              setNote(null);
              setLocalError(null);
            }}
          >
            {t("remove", { label: label.toLowerCase() })}
          </button>
        )}
      </div>
      <div
        role="group"
        aria-label={t("dropZone", { label })}
        onDragOver={(e) => {
          e.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        onClick={() => !disabled && !value && fileInput.current?.click()}
        // One Tab stop: the file input inside (Enter or Space opens the picker); the zone shows its focus.
        className={`relative flex aspect-video cursor-pointer items-center justify-center overflow-hidden rounded-xl border-2 border-dashed text-center text-xs transition has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent ${
          dragging ? "border-accent bg-accent/10" : shownError ? "border-red-500" : "border-line"
        } ${disabled ? "cursor-not-allowed bg-surface-2" : "hover:border-accent"}`}
      >
        {value ? (
          <FramePreview src={value} alt={t("preview", { label })} cropAspect={cropAspect} cropLabel={t("cropShown")} />
        ) : (
          <span className="px-3 text-muted">{disabled ? disabledReason : t("choose")}</span>
        )}
        <input
          ref={fileInput}
          id={inputId}
          type="file"
          accept="image/*"
          className="sr-only"
          disabled={disabled}
          aria-invalid={Boolean(shownError)}
          aria-describedby={shownError ? errorId : undefined}
          onChange={(e) => {
            void accept(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
      </div>
      {!value && !disabled && (
        <div className="flex gap-1.5">
          <label htmlFor={urlId} className="sr-only">
            {t("url", { label })}
          </label>
          <input
            id={urlId}
            type="url"
            inputMode="url"
            placeholder={t("urlPlaceholder")}
            value={urlDraft}
            onChange={(e) => setUrlDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                void applyUrl(urlDraft.trim());
              }
            }}
            className="min-w-0 flex-1 rounded-lg border border-line bg-surface px-2 py-1 text-xs"
          />
          <button type="button" className="rounded-lg border border-line px-2 text-xs hover:border-accent" onClick={() => void applyUrl(urlDraft.trim())}>
            {t("useUrl")}
          </button>
        </div>
      )}
      {note && !shownError && <p className="text-xs text-muted">{note}</p>}
      {disabledReason && value && <p className="text-xs text-amber-600">{disabledReason}</p>}
      {shownError && (
        <p id={errorId} role="alert" className="text-xs text-red-600 dark:text-red-400">
          {shownError}
        </p>
      )}
    </div>
  );
}

/**
 * The frame whole, never cropped into the slot's box, so a portrait frame looks portrait; with a
 * fixed output ratio, the part the clip keeps is outlined and the rest dimmed.
 */
function FramePreview({ src, alt, cropAspect, cropLabel }: { src: string; alt: string; cropAspect?: number; cropLabel: string }) {
  const [aspect, setAspect] = useState<number | null>(null);
  const crop = aspect && cropAspect ? (aspect > cropAspect ? { width: (cropAspect / aspect) * 100, height: 100 } : { width: 100, height: (aspect / cropAspect) * 100 }) : null;
  const cropped = crop && (crop.width < 99 || crop.height < 99);
  return (
    <span className="relative block max-h-full max-w-full" style={aspect ? { aspectRatio: aspect, height: aspect < 16 / 9 ? "100%" : undefined, width: aspect >= 16 / 9 ? "100%" : undefined } : undefined}>
      {/* eslint-disable-next-line @next/next/no-img-element -- data: URLs and arbitrary https URLs */}
      <img
        src={src}
        alt={alt}
        className="block h-full w-full object-contain"
        onLoad={(e) => setAspect(e.currentTarget.naturalWidth / e.currentTarget.naturalHeight || null)}
      />
      {cropped && (
        <span
          role="img"
          aria-label={cropLabel}
          className="pointer-events-none absolute left-1/2 top-1/2 -translate-x-1/2 -translate-y-1/2 border-2 border-white shadow-[0_0_0_9999px_rgba(0,0,0,0.55)]"
          style={{ width: `${crop.width}%`, height: `${crop.height}%` }}
        />
      )}
    </span>
  );
}
