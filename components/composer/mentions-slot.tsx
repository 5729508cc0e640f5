"use client";

import { lazy, Suspense, useMemo } from "react";
import { useTranslations } from "next-intl";
import { REFERENCE_KINDS } from "@/lib/seedance/models";
import type { FormValues } from "./form-values";
import type { MentionMaterial } from "./mention-menu";
import { referencePreviewUrl } from "@/lib/storage/keys";
import { MATERIAL_ITEM_KEY } from "@/lib/i18n/material-keys";
import { fieldOf, type ReferenceMeta } from "./use-references";

// Loaded with the prompt's first focus: the first paint and hydration need none of it.
const MentionMenu = lazy(() => import("./mention-menu").then((m) => ({ default: m.MentionMenu })));
const MentionedMaterials = lazy(() => import("./mention-menu").then((m) => ({ default: m.MentionedMaterials })));

/** The attached materials as the prompt can mention them: numbered per kind, in the order attached. */
export function useMentionMaterials(values: FormValues, meta: Record<string, ReferenceMeta>): MentionMaterial[] {
  const t = useTranslations("references");
  const { referenceImages, referenceVideos, referenceAudios } = values;
  return useMemo(() => {
    const lists = { referenceImages, referenceVideos, referenceAudios };
    return REFERENCE_KINDS.flatMap((kind) =>
      (lists[fieldOf(kind)] ?? []).map((ref, index) => ({
        kind,
        n: index + 1,
        label: t(MATERIAL_ITEM_KEY[kind], { n: index + 1 }),
        thumb: kind === "image" ? (meta[ref]?.preview ?? referencePreviewUrl(ref)) : undefined,
      })),
    );
  }, [referenceImages, referenceVideos, referenceAudios, meta, t]);
}

interface MentionsProps {
  /** Set once the prompt was focused: until then nothing loads. */
  active: boolean;
  textarea: HTMLTextAreaElement | null;
  materials: MentionMaterial[];
  prompt: string;
  onInsert: (text: string, caret: number) => void;
}

/** `@` in the prompt offers the materials (inside the prompt box, under the text). */
export function MentionMenuSlot({ active, textarea, materials, onInsert }: Omit<MentionsProps, "prompt">) {
  if (!active) return null;
  return (
    <Suspense fallback={null}>
      <MentionMenu textarea={textarea} materials={materials} onInsert={onInsert} />
    </Suspense>
  );
}

/** Which materials the prompt mentions, and which it names without their being attached. */
export function MentionedSlot({ active, materials, prompt }: Pick<MentionsProps, "active" | "materials" | "prompt">) {
  if (!active || !/\b(image|video|audio)\s*\d/i.test(prompt)) return null;
  return (
    <Suspense fallback={null}>
      <MentionedMaterials prompt={prompt} materials={materials} />
    </Suspense>
  );
}
