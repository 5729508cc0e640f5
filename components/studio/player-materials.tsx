"use client";

import { useTranslations } from "next-intl";
import type { Generation } from "@/lib/dto/generation";
import { MATERIAL_ITEM_KEY } from "@/lib/i18n/material-keys";
import { REFERENCE_ITEMS, REFERENCE_KINDS, type ReferenceKind } from "@/lib/seedance/models";
import { referencePreviewUrl } from "@/lib/storage/keys";

interface Material {
  key: string;
  kind: ReferenceKind;
  url: string;
  label: string;
}

/** What the clip was made from: its frames, then its references numbered per kind ("Image 1"). */
export function PlayerMaterials({ generation: g }: { generation: Generation }) {
  const t = useTranslations("player");
  const tr = useTranslations("references");
  const materials: Material[] = [
    ...(g.request.firstFrame ? [{ key: "first", kind: "image" as const, url: g.request.firstFrame, label: t("firstFrame") }] : []),
    ...(g.request.lastFrame ? [{ key: "last", kind: "image" as const, url: g.request.lastFrame, label: t("lastFrame") }] : []),
    ...REFERENCE_KINDS.flatMap((kind) =>
      (g.request[REFERENCE_ITEMS[kind].field] ?? []).map((ref, index) => ({ key: `${kind}-${index}`, kind, url: referencePreviewUrl(ref), label: tr(MATERIAL_ITEM_KEY[kind], { n: index + 1 }) })),
    ),
  ];
  if (materials.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2" aria-label={t("materials")}>
      {materials.map((m) => (
        <li key={m.key}>
          <figure className="flex flex-col gap-1 text-xs text-white/60">
            {m.kind === "image" ? (
              // eslint-disable-next-line @next/next/no-img-element -- an input, our own media URL or the creator's link
              <img src={m.url} alt={m.label} className="h-16 w-auto max-w-28 rounded-md border border-white/20 object-cover" />
            ) : m.kind === "video" ? (
              <video src={m.url} muted preload="metadata" aria-label={m.label} className="h-16 w-auto max-w-28 rounded-md border border-white/20 object-cover" />
            ) : (
              <audio src={m.url} controls preload="none" aria-label={m.label} className="h-8 w-40" />
            )}
            <figcaption>{m.label}</figcaption>
          </figure>
        </li>
      ))}
    </ul>
  );
}
