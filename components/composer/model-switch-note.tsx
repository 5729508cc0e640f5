"use client";

import { useTranslations } from "next-intl";
import { MODELS, type ModelId } from "@/lib/seedance/models";
import type { ModelSwitchChange } from "@/lib/seedance/rules";

/** "1080p → 720p, sound off on Seedance 2.0 Fast.": what a model switch changed, never silently. */
export function ModelSwitchNote({ model, changes }: { model: ModelId; changes: ModelSwitchChange[] }) {
  const t = useTranslations("form");
  const text = (change: ModelSwitchChange): string => {
    switch (change.field) {
      case "resolution":
      case "ratio":
        return t("switchFromTo", { from: change.from, to: change.to });
      case "duration":
        return t("switchDuration", { from: change.from, to: change.to });
      case "frames":
        return t("switchFrames", { from: change.from, to: change.to });
      case "automaticLength":
        return t("switchAutoLength");
      case "generate_audio":
        return t(change.to === "on" ? "switchAudioOn" : "switchAudioOff");
      case "return_last_frame":
        return t("switchLastFrame");
      case "service_tier":
        return t("switchFlex");
      case "taskOptions":
        return t("switchTaskOptions");
    }
  };
  return (
    <p role="status" className="rounded-lg border border-amber-500/40 bg-amber-500/10 px-3 py-1.5 text-xs">
      {t("modelSwitched", { changes: changes.map(text).join(", "), model: MODELS[model].label })}
    </p>
  );
}
