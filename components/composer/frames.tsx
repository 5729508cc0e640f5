"use client";

import { Controller, type UseFormReturn } from "react-hook-form";
import { useTranslations } from "next-intl";
import { MODELS, OUTPUT_SIZES, resolutionOn, type ModelId } from "@/lib/seedance/models";
import type { FormValues } from "./form-values";
import { FrameSlot } from "./frame-slot";

interface FramesProps {
  form: UseFormReturn<FormValues>;
  values: FormValues;
  model: ModelId;
  err: (name: keyof FormValues) => string | undefined;
  submitted: boolean;
  /** Continuing from a clip: taking its frame away ends Continue. */
  continuing: boolean;
  onStopContinuing: () => void;
  /** A first frame was added (it decides the ratio) or taken away (the ratio comes back). */
  onFirstFrame: (added: boolean) => void;
}

/** The first and last frames: the clip starts (and ends) on them, and the first decides its shape. */
export function Frames({ form, values, model, err, submitted, continuing, onStopContinuing, onFirstFrame }: FramesProps) {
  const t = useTranslations("form");
  const { control, getValues, setValue, trigger } = form;
  const caps = MODELS[model];
  // The part of a frame a fixed ratio keeps, outlined in the slots.
  const fixedRatio = values.ratio && values.ratio !== "adaptive" ? values.ratio : undefined;
  const cropSize = fixedRatio ? OUTPUT_SIZES[fixedRatio][resolutionOn(model, values.resolution)] : undefined;
  const cropAspect = cropSize ? cropSize[0] / cropSize[1] : undefined;

  return (
    <div className="flex flex-col gap-1.5">
      <div className="grid grid-cols-2 gap-3">
        <Controller
          control={control}
          name="firstFrame"
          render={({ field }) => (
            <FrameSlot
              label={t("firstFrame")}
              value={field.value}
              onChange={(v) => {
                // Before the value changes: a portrait frame under 16:9 made a landscape clip.
                if (Boolean(v) !== Boolean(field.value)) onFirstFrame(Boolean(v));
                if (!v && continuing) onStopContinuing();
                else field.onChange(v);
                if (submitted) void trigger(["firstFrame", "lastFrame", "ratio"]);
              }}
              error={err("firstFrame")}
              cropAspect={cropAspect}
              disabledReason={caps.acceptsFirstFrame ? undefined : t("takesTextOnly", { model: caps.label })}
            />
          )}
        />
        <Controller
          control={control}
          name="lastFrame"
          render={({ field }) => (
            <FrameSlot
              label={t("lastFrame")}
              value={field.value}
              onChange={(v) => {
                field.onChange(v);
                if (submitted) void trigger(["firstFrame", "lastFrame"]);
              }}
              error={err("lastFrame")}
              cropAspect={cropAspect}
              disabledReason={caps.acceptsLastFrame ? undefined : t("takesNoLastFrame", { model: caps.label })}
            />
          )}
        />
      </div>
      {(values.firstFrame || values.lastFrame) && (
        <button
          type="button"
          className="self-start text-xs text-muted underline hover:text-ink disabled:opacity-50"
          disabled={!caps.acceptsLastFrame}
          onClick={() => {
            const { firstFrame, lastFrame } = getValues();
            setValue("firstFrame", lastFrame);
            setValue("lastFrame", firstFrame);
          }}
        >
          {t("swapFrames")}
        </button>
      )}
    </div>
  );
}
