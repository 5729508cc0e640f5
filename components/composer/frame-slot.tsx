"use client";

import { useId, useState, type ClipboardEvent, type DragEvent } from "react";
import { useTranslations } from "next-intl";
import type { Coded } from "@/lib/errors/codes";
import { CodedError } from "@/lib/errors/coded-error";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { CloseIcon, PlusIcon } from "@/components/ui/icons";

interface FrameSlotProps {
  /** The file input's id: the materials' Add menu opens its chooser. */
  inputId: string;
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  /** The output's width / height when it is fixed (not adaptive): the part of the image kept is outlined. */
  cropAspect?: number;
  error?: string;
  disabledReason?: string;
  /** An empty slot shows as a tile (a drop target) only where a frame can go now. */
  showEmpty: boolean;
}

/**
 * One frame, as a tile in the prompt box's materials: click or drop to choose, paste on it, or the
 * Add menu; checked and prepared before sending. It is not a Tab stop of its own (the Add menu
 * is the keyboard's way in), except for its Remove button once it holds a frame.
 *
 * Returns the tile and, as a separate flex item ordered last, its messages: the tiles sit in a
 * row, and a message wants the row's whole width.
 */
export function FrameSlot({ inputId, label, value, onChange, error, disabledReason, cropAspect, showEmpty }: FrameSlotProps) {
  const t = useTranslations("frame");
  const translate = useErrorText();
  const errorId = useId();
  const [localError, setLocalError] = useState<Coded | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
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
    // The prompt box around would take the file as a reference.
    event.preventDefault();
    event.stopPropagation();
    setDragging(false);
    if (disabled) return;
    void accept(event.dataTransfer.files[0]);
  }

  function onPaste(event: ClipboardEvent) {
    if (disabled) return;
    const item = Array.from(event.clipboardData.items).find((i) => i.kind === "file" && i.type.startsWith("image/"));
    if (item) {
      event.preventDefault();
      event.stopPropagation();
      void accept(item.getAsFile());
    }
  }

  const input = (
    <input
      id={inputId}
      type="file"
      accept="image/*"
      className="sr-only"
      tabIndex={-1}
      disabled={disabled}
      aria-label={label}
      aria-invalid={Boolean(shownError)}
      aria-describedby={shownError ? errorId : undefined}
      onChange={(e) => {
        void accept(e.target.files?.[0]);
        e.target.value = "";
      }}
    />
  );
  // Nowhere to show it: the input stays, for the Add menu (and a disabled one says why there).
  if (!value && (disabled || !showEmpty)) return input;

  return (
    <>
      <div className="flex w-28 flex-col gap-0.5 text-[11px]" onPaste={onPaste}>
        <div
          role="group"
          aria-label={t("dropZone", { label })}
          onDragOver={(e) => {
            e.preventDefault();
            e.stopPropagation();
            if (!disabled) setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          onClick={(e) => {
            if (!value && e.target === e.currentTarget) document.getElementById(inputId)?.click();
          }}
          className={`relative flex aspect-video items-center justify-center overflow-hidden rounded-lg border text-center has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent ${
            dragging ? "border-accent bg-accent/10" : shownError ? "border-red-500" : value ? "border-line bg-surface-2" : "cursor-pointer border-dashed border-line text-muted hover:border-accent hover:text-ink"
          }`}
        >
          {value ? (
            <FramePreview src={value} alt={t("preview", { label })} cropAspect={cropAspect} cropLabel={t("cropShown")} />
          ) : (
            <span aria-hidden className="pointer-events-none flex items-center gap-1 px-1">
              <PlusIcon className="h-3 w-3 shrink-0" />
              {label}
            </span>
          )}
          {input}
          {value && (
            <button
              type="button"
              aria-label={t("remove", { label: label.toLowerCase() })}
              className="absolute right-0.5 top-0.5 rounded-full bg-black/60 p-0.5 text-white hover:bg-black/80"
              onClick={() => {
                onChange(undefined);
                setNote(null);
                setLocalError(null);
              }}
            >
              <CloseIcon className="h-3 w-3" />
            </button>
          )}
        </div>
        {value && <span className="px-0.5 font-medium">{label}</span>}
      </div>
      {(note || shownError || (disabledReason && value)) && (
        <div className="order-last basis-full text-xs">
          {note && !shownError && (
            <p className="flex gap-1 text-muted">
              <span className="font-medium">{label}:</span>
              <span>{note}</span>
            </p>
          )}
          {disabledReason && value && <p className="text-amber-700 dark:text-amber-300">{disabledReason}</p>}
          {shownError && (
            <p id={errorId} role="alert" className="text-red-600 dark:text-red-400">
              {shownError}
            </p>
          )}
        </div>
      )}
    </>
  );
}

/**
 * The frame whole, never cropped into the tile, so a portrait frame looks portrait; with a fixed
 * output ratio, the part the clip keeps is outlined and the rest dimmed.
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
