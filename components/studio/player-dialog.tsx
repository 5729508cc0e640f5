"use client";

import { useState } from "react";
import type { Generation } from "@/lib/dto/generation";
import { useTranslations } from "next-intl";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { DEFAULT_DURATION, MODELS, isModelId } from "@/lib/seedance/models";
import { toSeedanceRequest } from "@/lib/seedance/rules";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { buttonClass } from "@/components/ui/button";
import { Dialog, closeDialog } from "@/components/ui/dialog";
import { CloseIcon } from "@/components/ui/icons";
import { Menu } from "@/components/ui/menu";
import { Tooltip } from "@/components/ui/tooltip";

/** The exact upstream body for this clip, images elided, and a curl command that sends it. */
export function apiRequestFor(g: Generation) {
  const elide = (url?: string) => (url ? "<image: data:image/...;base64,... or https://...>" : undefined);
  const spec = { ...g.request, seed: g.seed ?? g.request.seed, firstFrame: elide(g.request.firstFrame), lastFrame: elide(g.request.lastFrame) } as GenerationSpec;
  const body = toSeedanceRequest(spec);
  const json = JSON.stringify(body, null, 2);
  const curl = [
    "curl -X POST https://api.acedata.cloud/seedance/videos \\",
    '  -H "authorization: Bearer $SEEDANCE_API_TOKEN" \\',
    '  -H "accept: application/json" -H "content-type: application/json" \\',
    `  -d '${JSON.stringify(body).replace(/'/g, "'\\''")}'`,
  ].join("\n");
  return { json, curl };
}

export function PlayerDialog({ generation: g, onClose, onStep }: { generation: Generation; onClose: () => void; onStep: (delta: number) => void }) {
  const t = useTranslations("player");
  const tc = useTranslations("clip");
  const formatNumber = useFormatNumber();
  const [copied, setCopied] = useState<string | null>(null);
  const api = apiRequestFor(g);
  const copy = (what: string, text: string) => {
    void navigator.clipboard?.writeText(text).then(() => setCopied(what));
  };
  const yesNo = (on: boolean | undefined | null) => t(on ? "yes" : "no");
  const params: [string, string][] = [
    [t("model"), isModelId(g.model) ? `${MODELS[g.model].label} (${g.model})` : g.model],
    [t("seed"), g.seed !== null ? String(g.seed) : t("random")],
    [t("size"), g.width && g.height ? `${g.width}×${g.height}` : (g.request.resolution ?? t("default"))],
    [t("ratio"), g.request.ratio ?? t("default")],
    [
      t("length"),
      g.duration
        ? `${formatNumber(g.duration, "seconds")} s`
        : g.request.frames
          ? `${g.request.frames} frames`
          : `${g.request.duration ?? DEFAULT_DURATION} s`,
    ],
    [t("cameraFixed"), yesNo(g.request.camerafixed)],
    [t("watermark"), yesNo(g.request.watermark)],
    [t("audio"), yesNo(g.hasAudio)],
    [t("serviceTier"), g.request.service_tier ?? t("default")],
    [t("status"), tc(g.status)],
    [t("upstreamTaskId"), g.upstreamTaskId ?? "–"],
    [t("traceId"), g.traceId ?? "–"],
    [t("clipId"), g.id],
  ];
  return (
    <Dialog
      aria-label={t("label")}
      onClose={onClose}
      onKeyDown={(e) => {
        if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
        if (e.key === "ArrowRight") onStep(1);
        if (e.key === "ArrowLeft") onStep(-1);
      }}
      className="w-[min(1100px,96vw)]"
    >
      <div className="grid gap-0 md:grid-cols-[1fr_320px]">
        <div className="bg-black">
          {g.videoUrl ? (
            <video key={g.id} src={g.videoUrl} poster={g.posterUrl ?? undefined} controls autoPlay playsInline className="max-h-[80dvh] w-full" aria-label={t("video")} />
          ) : (
            <p className="p-12 text-center text-white/70">{t("notReady")}</p>
          )}
        </div>
        <div className="flex max-h-[80dvh] flex-col gap-3 overflow-y-auto p-4 text-sm">
          <div className="flex items-start justify-between gap-2">
            <p className="font-medium">{g.prompt}</p>
            <Tooltip text={t("close")} align="end">
              <button type="button" onClick={closeDialog} aria-label={t("close")} className={buttonClass({ size: "icon" })}>
                <CloseIcon />
              </button>
            </Tooltip>
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            {params.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-muted">{k}</dt>
                <dd className="break-all font-mono">{v}</dd>
              </div>
            ))}
          </dl>
          <div className="flex flex-wrap gap-1.5 text-xs">
            <Menu
              label={t("copyRequest")}
              items={[
                { label: t("copyJson"), onSelect: () => copy("json", api.json) },
                { label: t("copyCurl"), onSelect: () => copy("curl", api.curl) },
              ]}
            />
            {copied && <span role="status">{t("copied", { what: copied })}</span>}
          </div>
          <details className="text-xs">
            <summary className="cursor-pointer text-muted">{t("apiRequest")}</summary>
            <pre className="mt-1 overflow-x-auto rounded-lg bg-surface-2 p-2">{api.json}</pre>
          </details>
          <p className="text-xs text-muted">{t("keys")}</p>
        </div>
      </div>
    </Dialog>
  );
}
