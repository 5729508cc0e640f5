"use client";

import { Controller, type UseFormReturn } from "react-hook-form";
import { useTranslations } from "next-intl";
import { MODELS, OUTPUT_SIZES, resolutionOn, type ModelId } from "@/lib/seedance/models";
import type { FormValues } from "./form-values";
import { SwapIcon } from "@/components/ui/icons";
import { FrameSlot } from "./frame-slot";
import { SHEET_EXTRA } from "./preset-notes";

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
  /** References are attached: on a model that takes frames or references, not both, empty tiles hide. */
  referencesAttached: boolean;
}

/** The frames' file inputs: the materials' Add menu opens them. */
export const FRAME_INPUT = { firstFrame: "frame-firstFrame", lastFrame: "frame-lastFrame" } as const;

/**
 * The first and last frames, as tiles among the prompt's materials: the clip starts (and ends) on
 * them, and the first decides its shape.
 */
export function Frames({ form, values, model, err, submitted, continuing, onStopContinuing, onFirstFrame, referencesAttached }: FramesProps) {
  const t = useTranslations("form");
  const { control, getValues, setValue, trigger } = form;
  const caps = MODELS[model];
  // The part of a frame a fixed ratio keeps, outlined in the slots.
  const fixedRatio = values.ratio && values.ratio !== "adaptive" ? values.ratio : undefined;
  const cropSize = fixedRatio ? OUTPUT_SIZES[fixedRatio][resolutionOn(model, values.resolution)] : undefined;
  const cropAspect = cropSize ? cropSize[0] / cropSize[1] : undefined;
  const room = !referencesAttached || Boolean(caps.references?.withFrames);

  return (
    // On a phone's peeking sheet, empty tiles wait for "More settings"; a set frame stays in sight.
    <div className={`flex flex-wrap items-center gap-2 ${values.firstFrame || values.lastFrame ? "" : SHEET_EXTRA}`}>
        <Controller
          control={control}
          name="firstFrame"
          render={({ field }) => (
            <FrameSlot
              inputId={FRAME_INPUT.firstFrame}
              showEmpty={room}
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
              inputId={FRAME_INPUT.lastFrame}
              showEmpty={room}
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
      {values.firstFrame && values.lastFrame && caps.acceptsLastFrame && (
        <button
          type="button"
          aria-label={t("swapFrames")}
          title={t("swapFrames")}
          className="rounded-full border border-line p-1.5 text-muted hover:border-accent hover:text-ink"
          onClick={() => {
            const { firstFrame, lastFrame } = getValues();
            setValue("firstFrame", lastFrame);
            setValue("lastFrame", firstFrame);
          }}
        >
          <SwapIcon className="h-3.5 w-3.5" />
        </button>
      )}
    </div>
  );
}
