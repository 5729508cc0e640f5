"use client";

import { memo, useEffect, useMemo, useRef, useState, useTransition } from "react";
import { Controller, useForm, useFormState, useWatch, type Resolver, type UseFormReturn } from "react-hook-form";
import { createGenerationAction } from "@/app/(studio)/actions";
import type { Generation } from "@/lib/dto/generation";
import {
  defaultDurationFor,
  DEFAULT_MODEL,
  LIMITS,
  MODEL_MENU_ORDER,
  MODELS,
  OUTPUT_SIZES,
  RATIOS,
  RESOLUTIONS,
  estimateGenerationSeconds,
  resolutionOn,
  type ModelId,
} from "@/lib/seedance/models";
import type { GenerationSpec, generationFieldsSchema } from "@/lib/seedance/schema";
import type { ModelSwitchChange } from "@/lib/seedance/rules";
import { estimateCost, type PriceTable } from "@/lib/seedance/pricing";
import { countCharacters } from "@/lib/text";
import { Toggle } from "@/components/ui/toggle";
import { CloseIcon, DiceIcon } from "@/components/ui/icons";
import { useTranslations } from "next-intl";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { textOfCoded } from "@/lib/errors/issue-text";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { loadFormCode, rules as formRules, validation } from "./form-code";
import { FrameSlot } from "./frame-slot";
import { ModelSwitchNote } from "./model-switch-note";
import { FIELD_LABEL, FlagChips } from "./flag-chips";
import { useInlineFlags } from "./use-inline-flags";
import { sendBatch, type BatchProgress } from "./send-batch";
import { onFrameRequest } from "./form-requests";
import { startingValues, type FormPreset, type FormValues } from "./form-values";

/** Catalogue keys (namespace `form`) for the error summary's links, by field. */
const SUMMARY_LABEL: Partial<Record<keyof FormValues, string>> = {
  ...FIELD_LABEL,
  prompt: "prompt",
  model: "model",
  firstFrame: "firstFrame",
  lastFrame: "lastFrame",
  generate_audio: "audio",
  return_last_frame: "returnLastFrame",
  service_tier: "serviceTier",
  execution_expires_after: "taskExpiry",
};

/**
 * Focused fields clear the sticky Generate bar (and the error under them shows too): focus and
 * the summary's links scroll a field this far from the bottom edge.
 */
const CLEAR_OF_STICKY_BAR = "[&_:is(input,textarea,select)]:scroll-mb-56 [&_:is(input,textarea,select)]:scroll-mt-4";

/** Seconds left until `until`, rounded up, ticking every second while there are any. */
function useCountdown(until: number | undefined) {
  // No clock read while rendering: the server would hold the form back to a later stage of the
  // stream (a clock read is request-time data), out of the first paint. `until` only exists after
  // a press, and the effect reads the clock at once.
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (until === undefined) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

const randomSeed = () => Math.floor(Math.random() * 4_294_967_295);

const inputClass =
  "w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm disabled:cursor-not-allowed disabled:opacity-50 aria-[invalid=true]:border-red-500";

function FieldError({ id, message }: { id: string; message?: string }) {
  const translate = useErrorText();
  if (!message) return null;
  return (
    <p id={id} role="alert" className="text-xs text-red-600 dark:text-red-400">
      {translate(message)}
    </p>
  );
}

const specResolver: Resolver<FormValues> = async (values, context, options) => {
  const [{ zodResolver }, { generationSpecSchema }] = await validation.load();
  // The spec schema lifts inline flags first, so its declared input is `unknown`; the fields are the same.
  const resolver = zodResolver(generationSpecSchema as unknown as typeof generationFieldsSchema) as unknown as Resolver<FormValues>;
  return resolver(values, context, options);
};

/** The fields the estimate is computed from: while one of them is refused, there is no figure. */
const COST_FIELDS = ["model", "resolution", "ratio", "duration", "frames", "generate_audio", "service_tier"] as const satisfies readonly (keyof FormValues)[];

function CostHint({ values, prices, invalid }: { values: FormValues; prices?: PriceTable; invalid: boolean }) {
  const t = useTranslations("form");
  const formatNumber = useFormatNumber();
  if (invalid) {
    return (
      <span className="text-right text-xs leading-tight text-red-700 dark:text-red-300" aria-live="polite">
        {t("estimateUnavailable")}
      </span>
    );
  }
  const cost = estimateCost(values, prices);
  const tokens = formatNumber(cost.billedTokens, "compact");
  return (
    <span className="flex flex-col items-end text-xs leading-tight text-muted" aria-live="polite" title={cost.priceFrom === "list" ? `${t("estimateHint")} ${t("estimateListPrice")}` : t("estimateHint")}>
      <span>
        {cost.usd !== null
          ? t("estimateMoney", { tokens, money: formatNumber(cost.usd, "usd") })
          : t("estimateTokens", { tokens })}
      </span>
      <span>{t("estimateTime", { seconds: estimateGenerationSeconds(values) })}</span>
    </span>
  );
}

interface GenerationFormProps {
  preset?: FormPreset;
  onCreated: (generation: Generation) => void;
  /** Drops a restored draft: a blank form. */
  onStartOver?: () => void;
  /** Mounts a fresh form with these values (no preset note, no Continue). */
  onRestart?: (values: FormValues) => void;
  prices?: PriceTable;
}

/** Typing pauses this long before the draft is saved. */
const DRAFT_SAVE_DELAY_MS = 500;

/**
 * The form is keyed on a preset's nonce by its parent: a remix or a continue mounts a fresh
 * form with those values, instead of copying props into state.
 */
export function GenerationForm(props: GenerationFormProps) {
  const form = useForm<FormValues>({
    resolver: specResolver,
    defaultValues: startingValues(props.preset?.values),
    mode: "onSubmit",
    reValidateMode: "onChange",
  });
  return <FormFields form={form} {...props} />;
}

/**
 * The form apart from `useForm`: react-hook-form sets a "ready" flag in a layout effect on mount,
 * which re-rendered the whole form synchronously right after hydration (and compared every
 * field's DOM properties again): about a fifth of the studio's hydration work in a profile.
 * Memoized, only the hook's host re-renders; the fields read their state through `useFormState`.
 */
const FormFields = memo(function FormFields({ form, preset, onCreated, onStartOver, onRestart, prices }: GenerationFormProps & { form: UseFormReturn<FormValues> }) {
  const t = useTranslations("form");
  const tm = useTranslations("models");
  const errorText = useErrorText();
  const formatNumber = useFormatNumber();
  const { register, control, handleSubmit, setValue, setError, reset, getValues, trigger, setFocus } = form;
  const formState = useFormState({ control });
  const values = useWatch({ control }) as FormValues;
  const model = values.model ?? DEFAULT_MODEL;
  const caps = MODELS[model];
  const [lengthMode, setLengthMode] = useState<"duration" | "frames">(preset?.values.frames ? "frames" : "duration");
  const [variations, setVariations] = useState(1);
  const [formError, setFormError] = useState<string | null>(null);
  // What the last model switch changed, said beside the model until the next one.
  const [modelNote, setModelNote] = useState<{ model: ModelId; changes: ModelSwitchChange[] } | null>(null);
  // The creator's own word on sound: a model switch no longer turns it on or off by default.
  const audioChosen = useRef(false);
  // Set when a first frame switched the ratio to adaptive: the ratio to go back to.
  const [ratioBeforeFrame, setRatioBeforeFrame] = useState<{ ratio: FormValues["ratio"] } | null>(null);
  const [status, setStatus] = useState<string>("");
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const secondsLeft = useCountdown(progress?.state === "waiting" ? progress.until : undefined);
  const [pending, startTransition] = useTransition();
  const [parentId, setParentId] = useState<string | undefined>(preset?.parentId);
  const [presetNote, setPresetNote] = useState<string | undefined>(preset?.note);
  // Continue is a mode: the chip stays, with its frame and parent, until the creator removes it.
  const [continuing, setContinuing] = useState(preset?.continueFrom);
  const stopContinuing = () => {
    setContinuing(undefined);
    setParentId(undefined);
    // A fresh form with the same values, not setValue: a Controller shows its default again when
    // set to undefined, and the continued frame is this form's default.
    const rest = { ...getValues(), firstFrame: undefined };
    if (onRestart) onRestart(rest);
    else reset(rest);
  };
  // The player's "use this frame": into the current values, nothing else changes.
  useEffect(
    () =>
      onFrameRequest(({ field, image }) => {
        setValue(field, image, { shouldDirty: true });
        loadFormCode();
      }),
    [setValue],
  );
  const submitting = useRef(false);
  // A remix or continue arrives with values that may already need messages.
  useEffect(() => {
    if (preset) loadFormCode();
  }, [preset]);

  // The form is in the server's HTML, shown before its code arrives: words typed by then are in
  // the field, and react-hook-form reads them when it registers the field, but its watchers (the
  // counter, the estimate, the draft) started from the empty default and are not told; setting
  // the same value again tells no one, so it is set empty first, within one task (never painted).
  // A form mounted in the browser (a preset) had nothing typed before it.
  const promptElement = useRef<HTMLTextAreaElement | null>(null);
  // Continuing means describing what happens next: the old prompt is selected, typing replaces it.
  useEffect(() => {
    if (!preset?.continueFrom) return;
    const timer = setTimeout(() => promptElement.current?.select());
    return () => clearTimeout(timer);
  }, [preset]);
  useEffect(() => {
    if (preset) return;
    const timer = setTimeout(() => {
      const typed = promptElement.current?.value;
      if (!typed) return;
      setValue("prompt", "");
      setValue("prompt", typed, { shouldDirty: true });
    });
    return () => clearTimeout(timer);
  }, [preset, setValue]);

  // The form as it is, kept for a reload (form-draft.ts). Not while a fresh form is untouched:
  // saving it would erase a draft the studio has not read yet. A sent clip is no draft: sending
  // drops it, and nothing is saved again until the form changes.
  const touched = useRef(false);
  const sent = useRef<FormValues | null>(null);
  const isDirty = formState.isDirty;
  useEffect(() => {
    if (isDirty) touched.current = true;
    if (!preset && !touched.current) return;
    const timer = setTimeout(() => {
      void import("./form-draft")
        .then((drafts) => {
          if (sent.current && drafts.sameValues(sent.current, values)) return;
          sent.current = null;
          return drafts.writeDraft({ values, parentId });
        })
        .catch(() => undefined);
    }, DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [values, parentId, preset, isDirty]);


  const flags = useInlineFlags(form, values, setLengthMode);
  const promptField = register("prompt", {
    onChange: (event: { target: { value: string } }) => flags.onPromptChange(event.target.value),
    onBlur: (event: { target: { value: string } }) => flags.onPromptBlur(event.target.value),
  });

  const audioField = register("generate_audio");
  const hasImage = Boolean(values.firstFrame || values.lastFrame);
  // The part of a frame a fixed ratio keeps, outlined in the slots.
  const fixedRatio = values.ratio && values.ratio !== "adaptive" ? values.ratio : undefined;
  const cropSize = fixedRatio ? OUTPUT_SIZES[fixedRatio][resolutionOn(model, values.resolution)] : undefined;
  const cropAspect = cropSize ? cropSize[0] / cropSize[1] : undefined;
  const rules = formRules.useModule();
  const liveIssues = useMemo(() => {
    if (!rules) return [];
    try {
      return rules.capabilityIssues({ ...(values as GenerationSpec), model });
    } catch {
      return [];
    }
  }, [rules, values, model]);

  async function submit(spec: GenerationSpec) {
    if (submitting.current) return;
    submitting.current = true;
    setFormError(null);
    setStatus(variations > 1 ? t("sendingMany", { count: variations }) : t("sendingOne"));
    const seeds =
      variations > 1
        ? Array.from({ length: variations }, (_, i) => (spec.seed !== undefined && spec.seed >= 0 ? (spec.seed + i) % 4_294_967_296 : randomSeed()))
        : [spec.seed];
    try {
      const outcome = await sendBatch({
        specs: seeds.map((seed) => ({ ...spec, seed })),
        create: (one) => createGenerationAction({ spec: one, idempotencyKey: crypto.randomUUID(), parentId }),
        onCreated: (generation) => onCreated(generation),
        onProgress: setProgress,
      });
      setProgress(null);
      if (!outcome.ok) {
        const result = outcome.failure;
        if (result.fieldErrors) {
          for (const [field, messages] of Object.entries(result.fieldErrors)) {
            if (messages[0]) setError(field as keyof FormValues, { type: "server", message: textOfCoded(messages[0]) });
          }
        }
        const message =
          result.kind === "rate_limited" && result.retryAfterSec
            ? t("retryIn", { message: errorText(result) ?? result.message, seconds: result.retryAfterSec })
            : (errorText(result) ?? result.message);
        setFormError(outcome.started > 0 ? `${t("batchStopped", { started: outcome.started, total: seeds.length })} ${message}` : message);
        setStatus("");
        return;
      }
      sent.current = getValues();
      void import("./form-draft").then((drafts) => drafts.clearDraft()).catch(() => undefined);
      setStatus(t("queuedVisible", { count: seeds.length, seconds: estimateGenerationSeconds({ ...spec, model: spec.model }) }));
      if (!continuing) setParentId(undefined);
      setPresetNote(undefined);
    } catch {
      setFormError(t("offline"));
      setStatus("");
      setProgress(null);
    } finally {
      submitting.current = false;
    }
  }

  const onSubmit = (event?: React.BaseSyntheticEvent) =>
    handleSubmit((spec) => startTransition(() => submit(spec as unknown as GenerationSpec)))(event);
  const errors = formState.errors;
  const err = (name: keyof FormValues) => errors[name]?.message as string | undefined;
  const describedBy = (name: string, hint?: boolean) => [hint ? `${name}-hint` : "", errors[name as keyof FormValues] ? `${name}-error` : ""].join(" ").trim() || undefined;
  // Counted as the server counts (code points), so an emoji is one character, not two.
  const promptLength = countCharacters(values.prompt ?? "");
  const busy = pending || formState.isSubmitting;
  const invalidFields = formState.submitCount > 0 ? (Object.keys(errors) as (keyof FormValues)[]).filter((name) => errors[name]?.message) : [];
  const jumpTo = (name: keyof FormValues) => {
    try {
      setFocus(name);
    } catch {
      // A field without a focusable ref (a frame slot): scrolled to below.
    }
    const element = document.getElementById(name) ?? document.querySelector<HTMLElement>(`[name="${name}"]`);
    if (element && !element.contains(document.activeElement)) {
      element.scrollIntoView({ block: "nearest" });
      element.focus?.({ preventScroll: true });
    }
  };
  const progressText =
    progress?.state === "waiting"
      ? t("batchWaiting", { started: progress.started, total: progress.total, left: progress.total - progress.started, seconds: secondsLeft })
      : progress && progress.total > 1 && progress.started > 0
        ? t("batchSending", { started: progress.started, total: progress.total })
        : status;

  return (
    <form
      onSubmit={onSubmit}
      // The first touch fetches the validation code, so the first Generate does not wait for it.
      onFocusCapture={loadFormCode}
      onPointerDownCapture={loadFormCode}
      onDragEnterCapture={loadFormCode}
      noValidate
      className={`flex flex-col gap-5 ${CLEAR_OF_STICKY_BAR}`}
      aria-label={t("newClip")}
    >
      {continuing && (
        <div className="flex items-center gap-2 self-start rounded-full border border-accent/50 bg-accent/10 py-1 pl-1 pr-2 text-sm" role="group" aria-label={t("continuingFrom")}>
          {/* eslint-disable-next-line @next/next/no-img-element -- the clip's last frame, our own media URL */}
          <img src={continuing.thumb} alt="" className="h-7 w-12 rounded-full object-cover" />
          <span className="max-w-64 truncate" title={continuing.prompt}>
            {t("continuingFrom")} <span className="text-muted">{continuing.prompt}</span>
          </span>
          <button type="button" aria-label={t("stopContinuing")} title={t("stopContinuing")} className="rounded-full p-0.5 text-muted hover:text-ink" onClick={stopContinuing}>
            <CloseIcon />
          </button>
        </div>
      )}
      {presetNote && (
        <p className="rounded-lg bg-accent/10 px-3 py-2 text-sm" role="status">
          {presetNote}
          {preset?.restored && onStartOver && (
            <>
              {" "}
              <button type="button" className="underline hover:text-ink" onClick={onStartOver}>
                {t("startOver")}
              </button>
            </>
          )}
        </p>
      )}

      <div className="flex flex-col gap-1.5">
        <div className="flex items-baseline justify-between">
          <label htmlFor="prompt" className="text-sm font-medium">
            {t("prompt")}
          </label>
          <span className={`text-xs tabular-nums ${promptLength > LIMITS.promptMaxChars ? "text-red-600" : "text-muted"}`} aria-live="polite">
            {promptLength} / {LIMITS.promptMaxChars}
          </span>
        </div>
        <textarea
          id="prompt"
          rows={5}
          placeholder={t("promptPlaceholder")}
          className={`${inputClass} resize-y`}
          aria-invalid={Boolean(err("prompt"))}
          aria-describedby={describedBy("prompt", true)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              void onSubmit();
            }
          }}
          {...promptField}
          ref={(element) => {
            promptField.ref(element);
            promptElement.current = element;
          }}
        />
        <p id="prompt-hint" className="text-xs text-muted">
          {t("promptHint")}
        </p>
        <FlagChips chips={flags.chips} errorOf={(field) => err(field as keyof FormValues)} onClear={flags.clear} />
        <FieldError id="prompt-error" message={err("prompt")} />
      </div>

      <div className="flex flex-col gap-1.5">
        <label htmlFor="model" className="text-sm font-medium">
          {t("model")}
        </label>
        <select
          id="model"
          className={inputClass}
          value={model}
          aria-describedby="model-hint"
          onChange={(e) => {
            const picked = e.target.value as ModelId;
            // The rules arrive with the form's first focus, so before this change as a rule (and
            // then apply in the same render). If they cannot be fetched, the model still changes
            // and the schema names what it cannot take.
            const apply = (loaded = formRules.current) => {
              const current = getValues();
              let next = loaded ? loaded.adaptToModel(current, picked) : { ...current, model: picked };
              // Sound is on wherever the model makes it (the provider's own studio does the same),
              // unless the creator switched it off themselves.
              if (!audioChosen.current) next = { ...next, generate_audio: MODELS[picked].acceptsAudio };
              reset(next, { keepDefaultValues: true });
              setModelNote(loaded ? { model: picked, changes: loaded.modelSwitchChanges(current, next) } : null);
              if (!MODELS[picked].acceptsFrames) setLengthMode("duration");
            };
            if (formRules.current) apply();
            else formRules.load().then(apply, () => apply());
          }}
        >
          {MODEL_MENU_ORDER.map((id) => (
            <option key={id} value={id}>
              {MODELS[id].label}
            </option>
          ))}
        </select>
        {modelNote && modelNote.model === model && modelNote.changes.length > 0 && <ModelSwitchNote model={modelNote.model} changes={modelNote.changes} />}
        <div id="model-hint" className="rounded-lg bg-surface-2 px-3 py-2 text-xs text-muted">
          <p>{tm(model)}</p>
          <p className="mt-1">
            {t("modelImages", {
              images: t(caps.requiresFirstFrame ? "imagesRequired" : caps.acceptsLastFrame ? "imagesFirstLast" : caps.acceptsFirstFrame ? "imagesFirst" : "imagesNone"),
            })}{" "}
            · {t(caps.acceptsAudio ? "modelAudioYes" : "modelAudioNo")} · {t("modelUpTo", { resolution: caps.resolutions.at(-1)! })} ·{" "}
            {t("durationValue", { seconds: `${caps.durationMin}–${caps.durationMax}` })} ·{" "}
            {t("modelSpeed", { seconds: estimateGenerationSeconds({ model, duration: 5, resolution: "720p" }) })}
          </p>
        </div>
      </div>

      <div className="grid grid-cols-2 gap-3">
        <Controller
          control={control}
          name="firstFrame"
          render={({ field }) => (
            <FrameSlot
              label={t("firstFrame")}
              value={field.value}
              onChange={(v) => {
                // The continued frame taken away (the slot's Remove) ends Continue too.
                if (!v && continuing) stopContinuing();
                else field.onChange(v);
                // A frame decides the clip's shape: a portrait frame under 16:9 made a landscape clip.
                if (v && !field.value && getValues("ratio") !== "adaptive") {
                  setRatioBeforeFrame({ ratio: getValues("ratio") });
                  setValue("ratio", "adaptive", { shouldDirty: true });
                }
                // Taken away again: the ratio the creator had comes back.
                if (!v && ratioBeforeFrame && getValues("ratio") === "adaptive") {
                  setValue("ratio", ratioBeforeFrame.ratio, { shouldDirty: true });
                  setRatioBeforeFrame(null);
                }
                if (formState.isSubmitted) void trigger(["firstFrame", "lastFrame", "ratio"]);
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
                if (formState.isSubmitted) void trigger(["firstFrame", "lastFrame"]);
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
          className="-mt-3 self-start text-xs text-muted underline hover:text-ink disabled:opacity-50"
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

      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1.5 text-sm font-medium">{t("resolution")}</legend>
        <div className="flex gap-2">
          {RESOLUTIONS.map((r) => {
            const supported = caps.resolutions.includes(r);
            return (
              <label
                key={r}
                title={supported ? undefined : t("goesUpTo", { model: caps.label, resolution: caps.resolutions.at(-1)! })}
                className={`flex-1 cursor-pointer rounded-lg border px-3 py-1.5 text-center text-sm has-[:checked]:border-accent has-[:checked]:bg-accent/10 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent ${
                  err("resolution") ? "border-red-500" : "border-line"
                }`}
              >
                <input type="radio" value={r} disabled={!supported} className="sr-only" {...register("resolution")} />
                {r}
              </label>
            );
          })}
        </div>
        <FieldError id="resolution-error" message={err("resolution")} />
      </fieldset>

      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1.5 text-sm font-medium">{t("aspectRatio")}</legend>
        <div className="flex flex-wrap gap-2">
          {RATIOS.map((r) => {
            const supported = r !== "adaptive" || hasImage || caps.adaptiveWithoutImage;
            const [w, h] = r === "adaptive" ? [1, 1] : OUTPUT_SIZES[r]["480p"];
            const scale = 22 / Math.max(w, h);
            return (
              <label
                key={r}
                title={supported ? (r === "adaptive" ? t("followsFirstFrame") : undefined) : t("adaptiveNeedsImage")}
                className={`flex cursor-pointer flex-col items-center gap-1 rounded-lg border px-2.5 py-1.5 text-xs has-[:checked]:border-accent has-[:checked]:bg-accent/10 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent ${
                  err("ratio") ? "border-red-500" : "border-line"
                }`}
              >
                <input type="radio" value={r} disabled={!supported} className="sr-only" {...register("ratio")} />
                <span
                  aria-hidden
                  className={`block border border-current ${r === "adaptive" ? "rounded-full border-dashed" : "rounded-sm"}`}
                  style={{ width: Math.round(w * scale), height: Math.round(h * scale) }}
                />
                {r === "adaptive" ? t("ratioAdaptive") : r}
              </label>
            );
          })}
        </div>
        {ratioBeforeFrame && values.ratio === "adaptive" && (
          <p role="status" className="text-xs text-muted">
            {t("ratioFollowsFrame")}
          </p>
        )}
        <FieldError id="ratio-error" message={err("ratio")} />
      </fieldset>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1.5 text-sm font-medium">{t("length")}</legend>
        <div className="flex gap-2 text-xs" role="radiogroup" aria-label={t("lengthUnit")}>
          {(["duration", "frames"] as const).map((mode) => (
            <button
              key={mode}
              type="button"
              role="radio"
              aria-checked={lengthMode === mode}
              disabled={mode === "frames" && !caps.acceptsFrames}
              title={mode === "frames" && !caps.acceptsFrames ? t("noFrameCount", { model: caps.label }) : undefined}
              onClick={() => {
                setLengthMode(mode);
                if (mode === "frames") {
                  setValue("duration", undefined);
                  setValue("frames", getValues("frames") ?? 121);
                } else {
                  setValue("frames", undefined);
                  setValue("duration", getValues("duration") ?? defaultDurationFor(model));
                }
              }}
              className="rounded-full border border-line px-3 py-0.5 aria-checked:border-accent aria-checked:bg-accent/10 disabled:opacity-40"
            >
              {mode === "duration" ? t("seconds") : t("exactFrames")}
            </button>
          ))}
        </div>
        {lengthMode === "duration" ? (
          <div className="flex items-center gap-3">
            <label htmlFor="duration" className="sr-only">
              {t("durationLabel")}
            </label>
            <input
              id="duration"
              type="range"
              min={caps.durationMin}
              max={caps.durationMax}
              step={1}
              className="flex-1 accent-accent"
              aria-invalid={Boolean(err("duration"))}
              aria-describedby={describedBy("duration")}
              {...register("duration", { setValueAs: (v) => (v === "" || v === undefined ? undefined : Number(v)) })}
            />
            <span className="w-12 text-right text-sm tabular-nums">{values.duration === -1 ? t("auto") : t("durationValue", { seconds: values.duration ?? "–" })}</span>
            {caps.acceptsAutoDuration && (
              <label className="flex items-center gap-1 text-xs">
                <input type="checkbox" checked={values.duration === -1} onChange={(e) => setValue("duration", e.target.checked ? -1 : 5, { shouldValidate: true })} />
                {t("auto")}
              </label>
            )}
          </div>
        ) : (
          <div className="flex items-center gap-3">
            <label htmlFor="frames" className="text-sm">
              {t("frames")}
            </label>
            <input
              id="frames"
              type="number"
              min={LIMITS.framesMin}
              max={LIMITS.framesMax}
              step={LIMITS.framesStep}
              className={`${inputClass} w-28`}
              aria-invalid={Boolean(err("frames"))}
              aria-describedby={describedBy("frames", true)}
              {...register("frames", { setValueAs: (v) => (v === "" || v === undefined ? undefined : Number(v)) })}
            />
            <span id="frames-hint" className="text-xs text-muted">
              {t("framesHint", { seconds: values.frames ? formatNumber(values.frames / 24, "seconds") : "–" })}
            </span>
          </div>
        )}
        <FieldError id="duration-error" message={err("duration")} />
        <FieldError id="frames-error" message={err("frames")} />
      </fieldset>

      <div className="flex flex-col gap-1.5">
        <label htmlFor="seed" className="text-sm font-medium">
          {t("seed")}
        </label>
        <div className="flex gap-2">
          <input
            id="seed"
            type="number"
            placeholder={t("seedRandom")}
            min={-1}
            max={LIMITS.seedMax}
            className={inputClass}
            aria-invalid={Boolean(err("seed"))}
            aria-describedby={describedBy("seed", true)}
            {...register("seed", { setValueAs: (v) => (v === "" || v === undefined || v === null ? undefined : Number(v)) })}
          />
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
        <p id="seed-hint" className="text-xs text-muted">
          {t("seedHint")}
        </p>
        <FieldError id="seed-error" message={err("seed")} />
      </div>

      <fieldset className="grid grid-cols-1 gap-2 sm:grid-cols-2">
        <legend className="mb-1.5 text-sm font-medium">{t("options")}</legend>
        <Toggle label={t("cameraFixed")} {...register("camerafixed")} />
        <Toggle label={t("watermark")} {...register("watermark")} />
        <Toggle
          label={t("audio")}
          disabledReason={caps.acceptsAudio ? undefined : t("onlyProSound")}
          error={err("generate_audio") && errorText(err("generate_audio"))}
          {...audioField}
          onChange={(event) => {
            audioChosen.current = true;
            return audioField.onChange(event);
          }}
        />
        <Toggle
          label={t("returnLastFrame")}
          disabledReason={caps.acceptsReturnLastFrame ? undefined : t("noReturnLastFrame", { model: caps.label })}
          error={err("return_last_frame") && errorText(err("return_last_frame"))}
          {...register("return_last_frame")}
        />
      </fieldset>

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="service_tier" className="text-sm font-medium">
            {t("serviceTier")}
          </label>
          <select id="service_tier" className={inputClass} aria-describedby="service_tier-hint" {...register("service_tier")}>
            <option value="default">{t("tierDefault")}</option>
            <option value="flex">{t("tierFlex")}</option>
          </select>
          {values.service_tier === "flex" && (
            <p id="service_tier-hint" className="text-xs text-amber-600">
              {t("flexWarning")}
            </p>
          )}
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="execution_expires_after" className="text-sm font-medium">
            {t("taskExpiry")}
          </label>
          <select
            id="execution_expires_after"
            className={inputClass}
            aria-invalid={Boolean(err("execution_expires_after"))}
            {...register("execution_expires_after", { setValueAs: (v) => (v === "" || v === undefined ? undefined : Number(v)) })}
          >
            <option value="">{t("expiryDefault")}</option>
            {[1, 6, 24, 72].map((hours) => (
              <option key={hours} value={hours * 3600}>
                {t("expiryHours", { hours })}
              </option>
            ))}
          </select>
          <FieldError id="execution_expires_after-error" message={err("execution_expires_after")} />
        </div>
      </div>

      <div className="flex flex-col gap-1.5">
        <label htmlFor="variations" className="text-sm font-medium">
          {t("variations")}
        </label>
        <select id="variations" className={inputClass} value={variations} onChange={(e) => setVariations(Number(e.target.value))}>
          {[1, 2, 3, 4].map((n) => (
            <option key={n} value={n}>
              {t("variationCount", { count: n })}
            </option>
          ))}
        </select>
      </div>

      {liveIssues.length > 0 && formState.submitCount === 0 && (
        <ul className="rounded-lg border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-xs" aria-label={t("beforeYouGenerate")}>
          {liveIssues.map((issue) => (
            <li key={issue.field}>{errorText(issue.error)}</li>
          ))}
        </ul>
      )}

      <div className="sticky bottom-0 -mx-1 flex flex-col gap-2 bg-surface px-1 pb-1 pt-2">
        {invalidFields.length > 0 && (
          <div role="group" aria-labelledby="error-summary-title" className="rounded-lg border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-700 dark:text-red-300">
            <p id="error-summary-title" className="font-medium">
              {t("fixFields", { count: invalidFields.length })}
            </p>
            <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs">
              {invalidFields.map((name) => (
                <li key={name}>
                  <a
                    href={`#${name}`}
                    className="underline hover:text-ink"
                    onClick={(event) => {
                      event.preventDefault();
                      jumpTo(name);
                    }}
                  >
                    {SUMMARY_LABEL[name] ? t(SUMMARY_LABEL[name]) : name}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
        {formError && (
          <p role="alert" className="rounded-lg border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-700 dark:text-red-300">
            {formError}
          </p>
        )}
        <div className="flex items-center gap-3">
          <button
            type="submit"
            disabled={busy}
            aria-disabled={busy}
            className="flex-1 rounded-xl bg-accent px-4 py-3 font-semibold text-white shadow transition hover:bg-accent-strong disabled:cursor-progress disabled:opacity-70"
          >
            {busy ? t("sending") : t("generate")}
          </button>
          <CostHint
            values={{ ...values, model }}
            prices={prices}
            invalid={COST_FIELDS.some((field) => errors[field] || liveIssues.some((issue) => issue.field === field))}
          />
        </div>
        {/* Seen as well as heard: the press's answer sits under the button the creator pressed. */}
        <p role="status" aria-live="polite" className={`text-xs ${progressText ? "" : "sr-only"} ${progress?.state === "waiting" ? "text-amber-700 dark:text-amber-300" : "text-muted"}`}>
          {progressText}
        </p>
      </div>
    </form>
  );
});
