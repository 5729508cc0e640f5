"use client";

import { useId, useState } from "react";
import { useTranslations } from "next-intl";
import { coded, type Coded } from "@/lib/errors/codes";
import { CodedError } from "@/lib/errors/coded-error";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { MODELS, type ModelId } from "@/lib/seedance/models";
import { Menu, type MenuItem } from "@/components/ui/menu";
import { CloseIcon, PlusIcon } from "@/components/ui/icons";
import type { FormValues } from "./form-values";
import { rules } from "./form-code";
import { requestFrame } from "./form-requests";
import { FRAME_INPUT } from "./frames";
import { fieldOf, type References } from "./use-references";

/** Where a link goes: the references (its kind read from the link), or one of the frames. */
type Destination = "reference" | "firstFrame" | "lastFrame";

/** The trigger's id: the error summary's links for the materials land on it. */
export const ADD_MATERIAL_ID = "add-material";

/** Catalogue keys (namespace `references`) of the reference kinds' choosers. */
export const LABEL_KEY = { image: "referenceImages", video: "referenceVideos", audio: "referenceAudios" } as const;

interface AddMaterialProps {
  references: References;
  values: FormValues;
  model: ModelId;
  max: Record<"image" | "video" | "audio", number>;
}

/**
 * One Tab stop for every material the model takes: the Add menu opens the file chooser of a kind
 * (reference images, videos, audio, the first or last frame), or a link field.
 */
export function AddMaterial({ references, values, model, max }: AddMaterialProps) {
  const t = useTranslations("references");
  const tf = useTranslations("form");
  const caps = MODELS[model];
  const choose = (id: string) => document.getElementById(id)?.click();
  const destinations: Destination[] = [
    ...(caps.references ? (["reference"] as const) : []),
    ...(caps.acceptsFirstFrame ? (["firstFrame"] as const) : []),
    ...(caps.acceptsLastFrame ? (["lastFrame"] as const) : []),
  ];
  const [linkOpen, setLinkOpen] = useState(false);

  const items: MenuItem[] = [
    ...(caps.references
      ? references.kinds.map((kind) => {
          const count = values[fieldOf(kind)]?.length ?? 0;
          return {
            label: (
              <span className="flex justify-between gap-3">
                <span>{t(LABEL_KEY[kind])}</span>
                <span className="tabular-nums text-muted">
                  {count} / {max[kind]}
                </span>
              </span>
            ),
            disabled: count >= max[kind],
            onSelect: () => choose(`reference-${kind}`),
          };
        })
      : []),
    { label: tf("firstFrame"), disabled: !caps.acceptsFirstFrame, onSelect: () => choose(FRAME_INPUT.firstFrame) },
    { label: tf("lastFrame"), disabled: !caps.acceptsLastFrame, onSelect: () => choose(FRAME_INPUT.lastFrame) },
    { label: t("fromLink"), disabled: destinations.length === 0, onSelect: () => setLinkOpen(true) },
  ];
  if (destinations.length === 0) return null;

  return (
    <>
      <Menu
        id={ADD_MATERIAL_ID}
        label={
          <>
            <PlusIcon className="h-3.5 w-3.5" />
            {t("add")}
          </>
        }
        items={items}
      />
      {linkOpen && <LinkField destinations={destinations} firstFrameSet={Boolean(values.firstFrame)} references={references} onClose={() => setLinkOpen(false)} />}
    </>
  );
}

function LinkField({ destinations, firstFrameSet, references, onClose }: { destinations: Destination[]; firstFrameSet: boolean; references: References; onClose: () => void }) {
  const t = useTranslations("references");
  const tf = useTranslations("form");
  const errorText = useErrorText();
  const id = useId();
  const [url, setUrl] = useState("");
  const [problem, setProblem] = useState<Coded | null>(null);
  // A second frame link most likely ends the clip.
  const [destination, setDestination] = useState<Destination>(destinations[0] === "firstFrame" && firstFrameSet && destinations.includes("lastFrame") ? "lastFrame" : destinations[0]!);

  const add = async () => {
    const link = url.trim();
    if (!link) return;
    try {
      if (destination === "reference") {
        await references.addUrl(link);
      } else {
        const refused = (await rules.load()).imageUrlProblem(link);
        setProblem(refused);
        if (refused) return;
        requestFrame({ field: destination, image: link });
      }
    } catch (e) {
      // The checks' code did not arrive (offline): said here, and the link stays to try again.
      setProblem(e instanceof CodedError ? e.error : coded(destination === "reference" ? "browser_offline" : "image_not_loaded"));
      return;
    }
    setUrl("");
    onClose();
  };

  return (
    <span className="flex min-w-0 basis-full flex-wrap items-center gap-1.5">
      <label htmlFor={id} className="sr-only">
        {t("link")}
      </label>
      <input
        id={id}
        type="url"
        inputMode="url"
        // Opened from the menu: the creator is about to type the link.
        autoFocus
        value={url}
        placeholder={t("linkPlaceholder")}
        aria-invalid={Boolean(problem)}
        aria-describedby={problem ? `${id}-error` : undefined}
        onChange={(e) => setUrl(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            void add();
          } else if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          }
        }}
        className="min-w-40 flex-1 rounded-full border border-line bg-surface px-2.5 py-1 text-xs"
      />
      {destinations.length > 1 && (
        <select aria-label={t("linkAs")} value={destination} onChange={(e) => setDestination(e.target.value as Destination)} className="rounded-full border border-line bg-surface px-2 py-1 text-xs">
          {destinations.map((d) => (
            <option key={d} value={d}>
              {d === "reference" ? t("asReference") : tf(d)}
            </option>
          ))}
        </select>
      )}
      <button type="button" className="rounded-full border border-line px-2.5 py-1 text-xs hover:border-accent" onClick={() => void add()}>
        {t("addLink")}
      </button>
      <button type="button" aria-label={t("closeLink")} className="rounded-full p-1 text-muted hover:text-ink" onClick={onClose}>
        <CloseIcon className="h-3.5 w-3.5" />
      </button>
      {problem && (
        <span id={`${id}-error`} role="alert" className="basis-full text-xs text-red-600 dark:text-red-400">
          {errorText(problem)}
        </span>
      )}
    </span>
  );
}
