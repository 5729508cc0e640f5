"use client";

import type { ReactNode } from "react";
import type { FieldErrors } from "react-hook-form";
import { useTranslations } from "next-intl";
import { MODELS, type ModelId, type ReferenceKind } from "@/lib/seedance/models";
import { referencePreviewUrl } from "@/lib/storage/keys";
import { MATERIAL_ITEM_KEY } from "@/lib/i18n/material-keys";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { CloseIcon } from "@/components/ui/icons";
import type { FormValues } from "./form-values";
import { fieldOf, type References } from "./use-references";
import { AddMaterial, ADD_MATERIAL_ID, LABEL_KEY } from "./add-material";
import { SHEET_EXTRA } from "./preset-notes";
import { useRovingFocus } from "@/components/ui/use-roving-focus";

const ACCEPT: Record<ReferenceKind, string> = { image: "image/*", video: "video/mp4,video/quicktime", audio: "audio/wav,audio/x-wav,audio/mpeg,audio/mp3" };
/** Catalogue keys (namespace `references`) of the counts beside Add: "Images 2 / 9". */
const COUNT_KEY = { image: "countImages", video: "countVideos", audio: "countAudios" } as const;

interface ReferenceTrayProps {
  references: References;
  values: FormValues;
  model: ModelId;
  errors: FieldErrors<FormValues>;
  /** The first and last frames' tiles, shown first among the materials. */
  frames: ReactNode;
}

/**
 * The request's reference materials, numbered per kind as the prompt mentions them ("Image 1"),
 * with each media item's length and the model's counts ("3 / 9"). Files go through the
 * references hook's checks and upload; a link is added as it is.
 */
export function ReferenceTray({ references, values, model, errors, frames }: ReferenceTrayProps) {
  const t = useTranslations("references");
  const tf = useTranslations("form");
  const errorText = useErrorText();
  const caps = MODELS[model];
  const limits = caps.references;
  const max = limits ? { image: limits.images, video: limits.videos, audio: limits.audios } : { image: 0, video: 0, audio: 0 };
  const framed = Boolean(values.firstFrame || values.lastFrame);
  const total = references.kinds.reduce((sum, kind) => sum + (values[fieldOf(kind)]?.length ?? 0), 0);
  const itemError = (kind: ReferenceKind, index: number) => {
    const list = errors[fieldOf(kind)] as unknown as ({ message?: string } | undefined)[] | { message?: string } | undefined;
    return Array.isArray(list) ? list[index]?.message : undefined;
  };
  const listError = (kind: ReferenceKind) => (errors[fieldOf(kind)] as { message?: string } | undefined)?.message;
  // The attached items' remove buttons are one Tab stop: the arrow keys go through them.
  const roving = useRovingFocus(total);
  const flatIndexOf = (kind: ReferenceKind, index: number) =>
    references.kinds.slice(0, references.kinds.indexOf(kind)).reduce((sum, k) => sum + (values[fieldOf(k)]?.length ?? 0), 0) + index;

  // A text-only model: said where the materials would be (the frames' inputs stay, disabled).
  if (!limits && total === 0 && !caps.acceptsFirstFrame)
    return (
      <p className={`px-1.5 text-xs text-muted ${SHEET_EXTRA}`}>
        {tf("takesTextOnly", { model: caps.label })}
        {frames}
      </p>
    );
  return (
    <div className="flex flex-col gap-2" role="group" aria-label={t("title")}>
      {frames}
      {total + references.pending.length > 0 && (
        <ul onKeyDown={roving.onKeyDown} className="flex flex-wrap gap-2" aria-label={t("attached")}>
          {references.kinds.flatMap((kind) =>
            (values[fieldOf(kind)] ?? []).map((ref, index) => {
              const meta = references.meta[ref];
              const preview = meta?.preview ?? referencePreviewUrl(ref);
              const label = t(MATERIAL_ITEM_KEY[kind], { n: index + 1 });
              const problem = itemError(kind, index);
              return (
                <li key={`${kind}-${ref}-${index}`} className={`relative flex w-24 flex-col overflow-hidden rounded-lg border text-[11px] ${problem ? "border-red-500" : "border-line"}`} aria-label={label}>
                  <span className="relative block aspect-video overflow-hidden bg-surface-2">
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
                      data-roving
                      tabIndex={roving.tabIndexOf(flatIndexOf(kind, index))}
                      className="absolute right-0.5 top-0.5 rounded-full bg-black/60 p-0.5 text-white hover:bg-black/80"
                      onClick={(event) => {
                        const list = event.currentTarget.closest("ul");
                        references.remove(kind, index);
                        // Pressed by keyboard: the focus stays in the list rather than falling to the page.
                        if (event.detail === 0) roving.focusAt(list, flatIndexOf(kind, index), () => document.getElementById(ADD_MATERIAL_ID)?.focus());
                      }}
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
            // The attached tile's shape: the tray keeps its height when the upload lands, so Add stays put.
            <li key={`pending-${item.id}`} className="flex w-24 flex-col overflow-hidden rounded-lg border border-dashed border-line text-[11px] text-muted" aria-label={t("uploading", { name: item.name })} title={t("uploading", { name: item.name })}>
              <span aria-hidden className="block aspect-video animate-pulse bg-surface-2" />
              <span className="truncate px-1.5 py-0.5">{t("uploading", { name: item.name })}</span>
            </li>
          ))}
        </ul>
      )}
      <div className={`flex flex-wrap items-center gap-x-3 gap-y-1.5 ${SHEET_EXTRA}`}>
        <AddMaterial references={references} values={values} model={model} max={max} />
        {limits && (
          <span className="flex flex-wrap gap-x-2.5 text-xs text-muted">
            {references.kinds.map((kind) => {
              const count = values[fieldOf(kind)]?.length ?? 0;
              return (
                <span key={kind} data-kind={kind} className={listError(kind) ? "text-red-600 dark:text-red-400" : undefined}>
                  {t(COUNT_KEY[kind])} <span className="tabular-nums">{count} / {max[kind]}</span>
                </span>
              );
            })}
          </span>
        )}
        {/* The choosers the Add menu opens: no Tab stops of their own. */}
        {limits &&
          references.kinds.map((kind) => (
            <input
              key={kind}
              id={`reference-${kind}`}
              type="file"
              multiple
              accept={ACCEPT[kind]}
              className="sr-only"
              tabIndex={-1}
              disabled={(values[fieldOf(kind)]?.length ?? 0) >= max[kind]}
              aria-label={t(LABEL_KEY[kind])}
              onChange={(e) => {
                const files = Array.from(e.target.files ?? []);
                e.target.value = "";
                void references.addFiles(files);
              }}
            />
          ))}
      </div>
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
