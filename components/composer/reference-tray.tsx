"use client";

import { useId, useState } from "react";
import type { FieldErrors } from "react-hook-form";
import { useTranslations } from "next-intl";
import { MODELS, type ModelId, type ReferenceKind } from "@/lib/seedance/models";
import { mediaUrl } from "@/lib/storage/keys";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { CloseIcon, PlusIcon } from "@/components/ui/icons";
import type { FormValues } from "./form-values";
import { fieldOf, type References } from "./use-references";

const ACCEPT: Record<ReferenceKind, string> = { image: "image/*", video: "video/mp4,video/quicktime", audio: "audio/wav,audio/x-wav,audio/mpeg,audio/mp3" };
const LABEL_KEY = { image: "referenceImages", video: "referenceVideos", audio: "referenceAudios" } as const;
/** Catalogue keys (namespace `references`) naming one material by its number: "Image 1". */
export const ITEM_KEY = { image: "referenceImage", video: "referenceVideo", audio: "referenceAudio" } as const;

/** Where the browser can show a reference: our media route for stored ones and clips, else the URL itself. */
export function previewOf(ref: string): string {
  if (ref.startsWith("media:")) return mediaUrl(ref.slice("media:".length));
  const clip = /^clip:(.+)$/.exec(ref);
  return clip ? mediaUrl(`clips/${clip[1]}/video.mp4`) : ref;
}

interface ReferenceTrayProps {
  references: References;
  values: FormValues;
  model: ModelId;
  errors: FieldErrors<FormValues>;
}

/**
 * The request's reference materials, numbered per kind as the prompt mentions them ("Image 1"),
 * with each media item's length and the model's counts ("3 / 9"). Files go through the
 * references hook's checks and upload; a link is added as it is.
 */
export function ReferenceTray({ references, values, model, errors }: ReferenceTrayProps) {
  const t = useTranslations("references");
  const errorText = useErrorText();
  const caps = MODELS[model];
  const limits = caps.references;
  const urlId = useId();
  const [url, setUrl] = useState("");
  const max = limits ? { image: limits.images, video: limits.videos, audio: limits.audios } : { image: 0, video: 0, audio: 0 };
  const framed = Boolean(values.firstFrame || values.lastFrame);
  const total = references.kinds.reduce((sum, kind) => sum + (values[fieldOf(kind)]?.length ?? 0), 0);
  const itemError = (kind: ReferenceKind, index: number) => {
    const list = errors[fieldOf(kind)] as unknown as ({ message?: string } | undefined)[] | { message?: string } | undefined;
    return Array.isArray(list) ? list[index]?.message : undefined;
  };
  const listError = (kind: ReferenceKind) => (errors[fieldOf(kind)] as { message?: string } | undefined)?.message;

  if (!limits && total === 0) return null;
  return (
    <div className="flex flex-col gap-2" role="group" aria-label={t("title")}>
      {total + references.pending.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label={t("attached")}>
          {references.kinds.flatMap((kind) =>
            (values[fieldOf(kind)] ?? []).map((ref, index) => {
              const meta = references.meta[ref];
              const preview = meta?.preview ?? previewOf(ref);
              const label = t(ITEM_KEY[kind], { n: index + 1 });
              const problem = itemError(kind, index);
              return (
                <li key={`${kind}-${ref}-${index}`} className={`relative flex w-24 flex-col overflow-hidden rounded-lg border text-[11px] ${problem ? "border-red-500" : "border-line"}`} aria-label={label}>
                  <span className="relative block aspect-video bg-surface-2">
                    {kind === "image" ? (
                      // eslint-disable-next-line @next/next/no-img-element -- data:, https and our own media URLs
                      <img src={preview} alt="" className="h-full w-full object-cover" />
                    ) : kind === "video" ? (
                      <video src={preview} muted preload="metadata" className="h-full w-full object-cover" aria-hidden />
                    ) : (
                      <span aria-hidden className="flex h-full items-center justify-center text-muted">
                        <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth={2}>
                          <path d="M9 18V5l12-2v13M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0Zm12-2a3 3 0 1 1-6 0 3 3 0 0 1 6 0Z" />
                        </svg>
                      </span>
                    )}
                    <button
                      type="button"
                      aria-label={t("remove", { item: label })}
                      className="absolute right-0.5 top-0.5 rounded-full bg-black/60 p-0.5 text-white hover:bg-black/80"
                      onClick={() => references.remove(kind, index)}
                    >
                      <CloseIcon className="h-3 w-3" />
                    </button>
                  </span>
                  <span className="flex justify-between gap-1 px-1.5 py-0.5">
                    <span className="font-medium">{label}</span>
                    {meta?.seconds !== undefined && <span className="tabular-nums text-muted">{t("seconds", { seconds: Math.round(meta.seconds * 10) / 10 })}</span>}
                  </span>
                  {problem && (
                    <span role="alert" className="px-1.5 pb-1 text-red-600 dark:text-red-400">
                      {errorText(problem)}
                    </span>
                  )}
                </li>
              );
            }),
          )}
          {references.pending.map((item) => (
            <li key={`pending-${item.id}`} className="flex w-24 animate-pulse flex-col justify-center rounded-lg border border-dashed border-line p-1.5 text-[11px] text-muted" aria-label={t("uploading", { name: item.name })}>
              {t("uploading", { name: item.name })}
            </li>
          ))}
        </ul>
      )}
      {limits && (
        <div className="flex flex-wrap items-center gap-1.5">
          {references.kinds.map((kind) => {
            const count = values[fieldOf(kind)]?.length ?? 0;
            const full = count >= max[kind];
            const inputId = `reference-${kind}`;
            return (
              <label
                key={kind}
                htmlFor={inputId}
                className={`flex cursor-pointer items-center gap-1 rounded-full border border-line px-2.5 py-1 text-xs hover:border-accent has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${listError(kind) ? "border-red-500" : ""}`}
              >
                <PlusIcon className="h-3 w-3" />
                <span>{t(LABEL_KEY[kind])}</span>
                <span className="tabular-nums text-muted">
                  {count} / {max[kind]}
                </span>
                <input
                  id={inputId}
                  type="file"
                  multiple
                  accept={ACCEPT[kind]}
                  className="sr-only"
                  disabled={full}
                  aria-label={t(LABEL_KEY[kind])}
                  onChange={(e) => {
                    const files = Array.from(e.target.files ?? []);
                    e.target.value = "";
                    void references.addFiles(files);
                  }}
                />
              </label>
            );
          })}
          <span className="flex min-w-0 flex-1 gap-1">
            <label htmlFor={urlId} className="sr-only">
              {t("link")}
            </label>
            <input
              id={urlId}
              type="url"
              inputMode="url"
              value={url}
              placeholder={t("linkPlaceholder")}
              onChange={(e) => setUrl(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  if (url.trim()) void references.addUrl(url.trim()).then(() => setUrl(""));
                }
              }}
              className="min-w-28 flex-1 rounded-full border border-line bg-surface px-2.5 py-1 text-xs"
            />
          </span>
        </div>
      )}
      {limits && !limits.withFrames && framed && total > 0 && (
        <p className="text-xs text-amber-700 dark:text-amber-300">{t("exclusiveModes", { model: caps.label })}</p>
      )}
      {references.kinds.map((kind) => listError(kind) && <p key={kind} role="alert" className="text-xs text-red-600 dark:text-red-400">{errorText(listError(kind))}</p>)}
      {references.problems.map((problem, index) => (
        <p key={`${problem.code}-${index}`} role="alert" className="text-xs text-red-600 dark:text-red-400">
          {errorText(problem)}
        </p>
      ))}
    </div>
  );
}
