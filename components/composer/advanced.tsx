"use client";

import { useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import { useTranslations } from "next-intl";
import { LIMITS, MODELS, OUTPUT_FORMATS, PRIORITY, TASK_TYPES, type ModelId } from "@/lib/seedance/models";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { Toggle } from "@/components/ui/toggle";
import { DiceIcon } from "@/components/ui/icons";
import type { FormValues } from "./form-values";
import { Field } from "@/components/ui/field";
import { NumberInput, Select } from "@/components/ui/controls";
import { numberOrUnset } from "./parts";

/** The fields behind "Advanced": a mistake in one of them opens the drawer, so its error is seen. */
export const ADVANCED_FIELDS = [
  "seed",
  "camerafixed",
  "watermark",
  "return_last_frame",
  "service_tier",
  "execution_expires_after",
  "omni_reference_task_type",
  "output_format",
  "tools",
  "priority",
] as const satisfies readonly (keyof FormValues)[];

export const randomSeed = () => Math.floor(Math.random() * 4_294_967_295);

interface AdvancedProps {
  form: UseFormReturn<FormValues>;
  values: FormValues;
  model: ModelId;
  err: (name: keyof FormValues) => string | undefined;
}

/**
 * What the API can be told beyond the clip's look: reproducibility, marks, delivery and (2.5)
 * the task's kind. Closed by default and rendered only when open: the first paint and hydration
 * carry the prompt and the settings, not these.
 */
export function Advanced({ form, values, model, err }: AdvancedProps) {
  const t = useTranslations("form");
  const errorText = useErrorText();
  const [opened, setOpened] = useState(false);
  const { register, setValue } = form;
  const caps = MODELS[model];
  const faulty = ADVANCED_FIELDS.some((field) => err(field));
  const open = opened || faulty;
  const message = (name: keyof FormValues) => {
    const code = err(name);
    return code && errorText(code);
  };
  const webSearch = Boolean(values.tools?.some((tool) => tool.type === "web_search"));

  return (
    <details
      open={open}
      onToggle={(e) => {
        const details = e.currentTarget;
        setOpened(details.open);
        // Opened under the sticky Generate bar: brought up so what it opened is seen.
        if (details.open) requestAnimationFrame(() => details.scrollIntoView({ block: "nearest" }));
      }}
      className="group scroll-mt-2 rounded-xl border border-line"
    >
      <summary className="flex cursor-pointer list-none items-center justify-between px-3 py-2 text-sm font-medium [&::-webkit-details-marker]:hidden">
        <span>
          <span>{t("advanced")}</span> <span className="text-xs font-normal text-muted">{t("advancedHint")}</span>
        </span>
        <span aria-hidden className="text-muted transition group-open:rotate-180">
          <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth={2}>
            <path d="M6 9l6 6 6-6" />
          </svg>
        </span>
      </summary>
      {open && (
        <div className="flex flex-col gap-4 border-t border-line p-3">
          <Field id="seed" label={t("seed")} hint={t("seedHint")} error={message("seed")}>
            {(control) => (
              <div className="flex gap-2">
                <NumberInput {...control} placeholder={t("seedRandom")} min={-1} max={LIMITS.seedMax} {...register("seed", { setValueAs: numberOrUnset })} />
                <button
                  type="button"
                  aria-label={t("rollSeed")}
                  title={t("rollSeed")}
                  className="rounded-lg border border-line px-3 hover:border-accent"
                  onClick={() => setValue("seed", randomSeed(), { shouldValidate: true })}
                >
                  <DiceIcon className="h-5 w-5" />
                </button>
                <button type="button" className="rounded-lg border border-line px-3 text-xs hover:border-accent" onClick={() => setValue("seed", undefined, { shouldValidate: true })}>
                  {t("seedRandom")}
                </button>
              </div>
            )}
          </Field>

          <fieldset className="grid grid-cols-1 gap-2 sm:grid-cols-2">
            <legend className="mb-1.5 text-sm font-medium">{t("options")}</legend>
            <Toggle label={t("cameraFixed")} {...register("camerafixed")} />
            <Toggle label={t("watermark")} {...register("watermark")} />
            <Toggle
              label={t("returnLastFrame")}
              disabledReason={caps.acceptsReturnLastFrame ? undefined : t("noReturnLastFrame", { model: caps.label })}
              error={message("return_last_frame")}
              {...register("return_last_frame")}
            />
          </fieldset>

          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            {caps.acceptsFlex && (
              <Field
                id="service_tier"
                label={t("serviceTier")}
                hint={<span className={values.service_tier === "flex" ? "text-amber-700 dark:text-amber-300" : undefined}>{t("flexWarning")}</span>}
              >
                {(control) => (
                  <Select {...control} {...register("service_tier")}>
                    <option value="default">{t("tierDefault")}</option>
                    <option value="flex">{t("tierFlex")}</option>
                  </Select>
                )}
              </Field>
            )}
            <Field id="execution_expires_after" label={t("taskExpiry")} error={message("execution_expires_after")}>
              {(control) => (
                <Select {...control} {...register("execution_expires_after", { setValueAs: numberOrUnset })}>
                  <option value="">{t("expiryDefault")}</option>
                  {[1, 6, 24, 72].map((hours) => (
                    <option key={hours} value={hours * 3600}>
                      {t("expiryHours", { hours })}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>

          {caps.acceptsTaskOptions && (
            <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <legend className="mb-1.5 text-sm font-medium">{t("taskOptions", { model: caps.label })}</legend>
              <Field id="omni_reference_task_type" label={t("taskType")} error={message("omni_reference_task_type")}>
                {(control) => (
                  <Select {...control} {...register("omni_reference_task_type", { setValueAs: (v) => v || undefined })}>
                    {TASK_TYPES.map((type) => (
                      <option key={type} value={type === "auto" ? "" : type}>
                        {t(`taskType_${type}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field id="output_format" label={t("outputFormat")}>
                {(control) => (
                  <Select {...control} {...register("output_format", { setValueAs: (v) => v || undefined })}>
                    {OUTPUT_FORMATS.map((format) => (
                      <option key={format} value={format === "mp4" ? "" : format}>
                        {t(`outputFormat_${format}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field id="priority" label={t("priority")} error={message("priority")}>
                {(control) => <NumberInput {...control} min={PRIORITY.min} max={PRIORITY.max} placeholder="0" {...register("priority", { setValueAs: numberOrUnset })} />}
              </Field>
              <label className="flex items-center gap-2 self-end pb-2 text-sm">
                <input
                  type="checkbox"
                  className="h-4 w-4 accent-accent"
                  checked={webSearch}
                  onChange={(e) => setValue("tools", e.target.checked ? [{ type: "web_search" }] : undefined, { shouldDirty: true })}
                />
                {t("webSearch")}
              </label>
            </fieldset>
          )}
        </div>
      )}
    </details>
  );
}
