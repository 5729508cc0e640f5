"use client";

import type { UseFormReturn } from "react-hook-form";
import { useTranslations } from "next-intl";
import { defaultDurationFor, LIMITS, MODELS, OUTPUT_SIZES, RATIOS, RESOLUTIONS, type ModelId } from "@/lib/seedance/models";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { useErrorText } from "@/lib/i18n/use-error-text";
import type { FormValues } from "./form-values";
import { NumberInput, Select } from "@/components/ui/controls";
import { FieldError, numberOrUnset } from "./parts";

export type LengthMode = "duration" | "frames";

interface SettingsProps {
  form: UseFormReturn<FormValues>;
  values: FormValues;
  model: ModelId;
  err: (name: keyof FormValues) => string | undefined;
  lengthMode: LengthMode;
  onLengthMode: (mode: LengthMode) => void;
  variations: number;
  onVariations: (count: number) => void;
  /** A first frame switched the ratio to adaptive: said under the ratios. */
  ratioFollowsFrame: boolean;
  /** The creator's own word on sound (a model switch then keeps it). */
  onAudioChosen: () => void;
}

const chip =
  "cursor-pointer rounded-lg border px-2.5 py-1 text-center text-xs has-[:checked]:border-accent has-[:checked]:bg-accent/10 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent";
const legend = "mb-1 text-xs font-medium text-muted";

/** The settings a creator changes from clip to clip, as chips under the prompt. */
export function Settings({ form, values, model, err, lengthMode, onLengthMode, variations, onVariations, ratioFollowsFrame, onAudioChosen }: SettingsProps) {
  const t = useTranslations("form");
  const formatNumber = useFormatNumber();
  const errorText = useErrorText();
  const { register, setValue, getValues } = form;
  const caps = MODELS[model];
  const hasImage = Boolean(values.firstFrame || values.lastFrame);
  const audioField = register("generate_audio");

  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-col">
        <legend className={legend}>{t("aspectRatio")}</legend>
        <div className="flex flex-wrap gap-1.5">
          {RATIOS.map((r) => {
            const supported = r !== "adaptive" || hasImage || caps.adaptiveWithoutImage;
            const [w, h] = r === "adaptive" ? [1, 1] : OUTPUT_SIZES[r]["480p"];
            const scale = 14 / Math.max(w, h);
            return (
              <label
                key={r}
                title={supported ? (r === "adaptive" ? t("followsFirstFrame") : undefined) : t("adaptiveNeedsImage")}
                className={`flex items-center gap-1.5 ${chip} ${err("ratio") ? "border-red-500" : "border-line"}`}
              >
                <input type="radio" value={r} disabled={!supported} className="sr-only" {...register("ratio")} />
                <span
                  aria-hidden
                  className={`block border border-current ${r === "adaptive" ? "rounded-full border-dashed" : "rounded-[2px]"}`}
                  style={{ width: Math.round(w * scale), height: Math.round(h * scale) }}
                />
                {r === "adaptive" ? t("ratioAdaptive") : r}
              </label>
            );
          })}
        </div>
        {ratioFollowsFrame && values.ratio === "adaptive" && (
          <p role="status" className="mt-1 text-xs text-muted">
            {t("ratioFollowsFrame")}
          </p>
        )}
        <FieldError id="ratio-error" message={err("ratio")} />
      </fieldset>

      <fieldset className="flex flex-col">
        <legend className={legend}>{t("resolution")}</legend>
        <div className="flex gap-1.5">
          {RESOLUTIONS.map((r) => {
            const supported = caps.resolutions.includes(r);
            return (
              <label
                key={r}
                title={supported ? undefined : t("goesUpTo", { model: caps.label, resolution: caps.resolutions.at(-1)! })}
                className={`flex-1 ${chip} ${err("resolution") ? "border-red-500" : "border-line"}`}
              >
                <input type="radio" value={r} disabled={!supported} className="sr-only" {...register("resolution")} />
                {r}
              </label>
            );
          })}
        </div>
        <FieldError id="resolution-error" message={err("resolution")} />
      </fieldset>

      <div className="flex items-end gap-3">

        <label className={`flex cursor-pointer whitespace-nowrap items-center gap-2 rounded-lg border px-2.5 py-1 text-xs has-[:checked]:border-accent has-[:checked]:bg-accent/10 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-40 ${err("generate_audio") ? "border-red-500" : "border-line"}`} title={caps.acceptsAudio ? undefined : t("onlyProSound")}>
          <input
            id="opt-generate_audio"
            type="checkbox"
            className="h-3.5 w-3.5 accent-accent"
            disabled={!caps.acceptsAudio}
            aria-invalid={Boolean(err("generate_audio"))}
            {...audioField}
            onChange={(event) => {
              onAudioChosen();
              return audioField.onChange(event);
            }}
          />
          {t("audio")}
        </label>
        <label className="flex flex-1 items-center justify-end gap-2 text-xs">
          <span className="text-muted">{t("variations")}</span>
          <Select id="variations" compact value={variations} onChange={(e) => onVariations(Number(e.target.value))}>
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {t("variationCount", { count: n })}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {!caps.acceptsAudio && <p className="-mt-2 text-xs text-muted">{t("onlyProSound")}</p>}
      {err("generate_audio") && <p role="alert" className="-mt-2 text-xs text-red-600 dark:text-red-400">{errorText(err("generate_audio"))}</p>}

      <fieldset className="flex flex-col gap-1.5">
        <legend className={legend}>{t("length")}</legend>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
          {/* Native radios: one Tab stop for the pair, the arrow keys between them. */}
          <div className="flex gap-1 text-xs" role="radiogroup" aria-label={t("lengthUnit")}>
            {(["duration", "frames"] as const).map((mode) => (
              <label
                key={mode}
                title={mode === "frames" && !caps.acceptsFrames ? t("noFrameCount", { model: caps.label }) : undefined}
                className="cursor-pointer whitespace-nowrap rounded-full border border-line px-2.5 py-0.5 has-[:checked]:border-accent has-[:checked]:bg-accent/10 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent"
              >
                <input
                  type="radio"
                  name="lengthUnit"
                  className="sr-only"
                  checked={lengthMode === mode}
                  disabled={mode === "frames" && !caps.acceptsFrames}
                  onChange={() => {
                    onLengthMode(mode);
                    if (mode === "frames") {
                      setValue("duration", undefined);
                      setValue("frames", getValues("frames") ?? 121);
                    } else {
                      setValue("frames", undefined);
                      setValue("duration", getValues("duration") ?? defaultDurationFor(model));
                    }
                  }}
                />
                {mode === "duration" ? t("seconds") : t("exactFrames")}
              </label>
            ))}
          </div>
          {lengthMode === "duration" ? (
            <div className="flex min-w-48 flex-1 items-center gap-2">
              <label htmlFor="duration" className="sr-only">
                {t("durationLabel")}
              </label>
              <input
                id="duration"
                type="range"
                min={caps.durationMin}
                max={caps.durationMax}
                step={1}
                className="min-w-0 flex-1 accent-accent"
                aria-invalid={Boolean(err("duration"))}
                aria-describedby={err("duration") ? "duration-error" : undefined}
                {...register("duration", { setValueAs: numberOrUnset })}
              />
              <span className="w-10 text-right text-xs tabular-nums">{values.duration === -1 ? t("auto") : t("durationValue", { seconds: values.duration ?? "–" })}</span>
              {caps.acceptsAutoDuration && (
                <label className="flex items-center gap-1 text-xs">
                  <input type="checkbox" checked={values.duration === -1} onChange={(e) => setValue("duration", e.target.checked ? -1 : defaultDurationFor(model), { shouldValidate: true })} />
                  {t("auto")}
                </label>
              )}
            </div>
          ) : (
            <div className="flex flex-1 items-center gap-2">
              <label htmlFor="frames" className="text-xs">
                {t("frames")}
              </label>
              <NumberInput
                id="frames"
                compact
                inputMode="numeric"
                min={LIMITS.framesMin}
                max={LIMITS.framesMax}
                step={LIMITS.framesStep}
                className="w-24"
                aria-invalid={Boolean(err("frames"))}
                aria-describedby={["frames-hint", err("frames") ? "frames-error" : ""].join(" ").trim()}
                {...register("frames", { setValueAs: numberOrUnset })}
              />
              <span id="frames-hint" className="text-xs text-muted">
                {t("framesHint", { seconds: values.frames ? formatNumber(values.frames / 24, "seconds") : "–" })}
              </span>
            </div>
          )}
        </div>
        <FieldError id="duration-error" message={err("duration")} />
        <FieldError id="frames-error" message={err("frames")} />
      </fieldset>
    </div>
  );
}
