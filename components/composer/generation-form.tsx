"use client";

import { memo, useEffect, useMemo, useRef, useState } from "react";
import { useForm, useFormState, useWatch, type Resolver, type UseFormReturn } from "react-hook-form";
import { useTranslations } from "next-intl";
import type { Generation } from "@/lib/dto/generation";
import { DEFAULT_MODEL, MODELS, type Ratio } from "@/lib/seedance/models";
import type { GenerationSpec, generationFieldsSchema } from "@/lib/seedance/schema";
import type { PriceTable } from "@/lib/seedance/pricing";
import { countCharacters } from "@/lib/text";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { loadFormCode, rules as formRules, validation } from "./form-code";
import { onFrameRequest } from "./form-requests";
import { startingValues, type FormPreset, type FormValues } from "./form-values";
import { FIELD_LABEL, FlagChips } from "./flag-chips";
import { useInlineFlags } from "./use-inline-flags";
import { useDraft, useTypedBeforeHydration } from "./use-draft";
import { useSubmit } from "./use-submit";
import { fieldOf, useReferences } from "./use-references";
import { ADD_MATERIAL_ID } from "./add-material";
import { PromptBox } from "./prompt-box";
import { ReferenceTray } from "./reference-tray";
import { ModelPicker } from "./model-picker";
import { ModelSwitchNote } from "./model-switch-note";
import { Settings, type LengthMode } from "./settings";
import { Frames } from "./frames";
import { Advanced } from "./advanced";
import { GenerateBar } from "./generate-bar";
import { useModelSwitch } from "./use-model-switch";
import { ContinuingChip, PresetNote, SHEET_EXTRA, SheetHandle } from "./preset-notes";
import { MentionedSlot, MentionMenuSlot, useMentionMaterials } from "./mentions-slot";

/** Catalogue keys (namespace `form`) for the error summary's links, by field. */
const SUMMARY_LABEL: Record<string, string> = {
  ...FIELD_LABEL,
  prompt: "prompt",
  model: "model",
  firstFrame: "firstFrame",
  lastFrame: "lastFrame",
  generate_audio: "audio",
  return_last_frame: "returnLastFrame",
  service_tier: "serviceTier",
  execution_expires_after: "taskExpiry",
  referenceImages: "referenceImages",
  referenceVideos: "referenceVideos",
  referenceAudios: "referenceAudios",
  omni_reference_task_type: "taskType",
  priority: "priority",
};

/** The fields the estimate is computed from: while one of them is refused, there is no figure. */
const COST_FIELDS = ["model", "resolution", "ratio", "duration", "frames", "generate_audio", "service_tier", "referenceVideos"] as const satisfies readonly (keyof FormValues)[];

/**
 * Focused fields clear the sticky Generate bar (and the error under them shows too): focus and
 * the summary's links scroll a field this far from the bottom edge.
 */
const CLEAR_OF_STICKY_BAR = "[&_:is(input,textarea,select,[id$=-error])]:scroll-mb-56 [&_:is(input,textarea,select)]:scroll-mt-4";

const specResolver: Resolver<FormValues> = async (values, context, options) => {
  const [{ zodResolver }, { generationSpecSchema }] = await validation.load();
  // The spec schema lifts inline flags first, so its declared input is `unknown`; the fields are the same.
  const resolver = zodResolver(generationSpecSchema as unknown as typeof generationFieldsSchema) as unknown as Resolver<FormValues>;
  return resolver(values, context, options);
};

interface GenerationFormProps {
  preset?: FormPreset;
  onCreated: (generation: Generation) => void;
  /** Drops a restored draft: a blank form. */
  onStartOver?: () => void;
  /** Mounts a fresh form with these values (no preset note, no Continue). */
  onRestart?: (values: FormValues) => void;
  prices?: PriceTable;
}

/**
 * The form is keyed on a preset's nonce by its parent: a remix, a continue or an extend mounts a
 * fresh form with those values, instead of copying props into state.
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
  const tr = useTranslations("references");
  const tm = useTranslations("models");
  const errorText = useErrorText();
  const { register, control, setValue, reset, getValues, setFocus } = form;
  const formState = useFormState({ control });
  const values = useWatch({ control }) as FormValues;
  const model = values.model ?? DEFAULT_MODEL;
  const caps = MODELS[model];
  const [lengthMode, setLengthMode] = useState<LengthMode>(preset?.values.frames ? "frames" : "duration");
  const [variations, setVariations] = useState(1);
  // A phone's sheet: peeking (prompt, model, Generate) or open.
  const [sheetOpen, setSheetOpen] = useState(false);
  const modelSwitch = useModelSwitch(form, () => setLengthMode("duration"));
  // Set when a first frame switched the ratio to adaptive: the ratio to go back to.
  const [ratioBeforeFrame, setRatioBeforeFrame] = useState<Ratio>();
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
  /** A first frame decides the clip's shape: a fixed ratio gives way to adaptive (said under the ratios). */
  const frameDecidesRatio = () => {
    const ratio = getValues("ratio");
    if (getValues("firstFrame") || !ratio || ratio === "adaptive") return;
    setRatioBeforeFrame(ratio);
    setValue("ratio", "adaptive", { shouldDirty: true });
  };
  const firstFrameChanged = (added: boolean) => {
    if (added) return frameDecidesRatio();
    // Taken away again: the ratio the creator had comes back.
    if (ratioBeforeFrame && getValues("ratio") === "adaptive") setValue("ratio", ratioBeforeFrame, { shouldDirty: true });
    setRatioBeforeFrame(undefined);
  };
  // The player's "use this frame": into the current values, nothing else changes.
  useEffect(
    () =>
      onFrameRequest(({ field, image }) => {
        if (field === "firstFrame") frameDecidesRatio();
        setValue(field, image, { shouldDirty: true });
        loadFormCode();
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- frameDecidesRatio reads the form when called
    [setValue],
  );
  // A remix or continue arrives with values that may already need messages.
  useEffect(() => {
    if (preset) loadFormCode();
  }, [preset]);

  const promptElement = useRef<HTMLTextAreaElement | null>(null);
  useTypedBeforeHydration(form, promptElement, preset);
  const draft = useDraft({ values, parentId, preset, isDirty: formState.isDirty });
  const flags = useInlineFlags(form, values, setLengthMode);
  const promptField = register("prompt", {
    onChange: (event: { target: { value: string } }) => flags.onPromptChange(event.target.value),
    onBlur: (event: { target: { value: string } }) => flags.onPromptBlur(event.target.value),
  });
  const references = useReferences(form, model, preset?.referenceMeta);
  const materials = useMentionMaterials(values, references.meta);
  // The prompt once focused: the mention menu's code comes then.
  const [focusedPrompt, setFocusedPrompt] = useState<HTMLTextAreaElement | null>(null);
  const insertMention = (text: string, caret: number) => {
    setValue("prompt", text, { shouldDirty: true });
    flags.onPromptChange(text);
    requestAnimationFrame(() => promptElement.current?.setSelectionRange(caret, caret));
  };

  const rules = formRules.useModule();
  const liveIssues = useMemo(() => {
    if (!rules) return [];
    try {
      return rules.capabilityIssues({ ...(values as GenerationSpec), model });
    } catch {
      return [];
    }
  }, [rules, values, model]);

  const submit = useSubmit({
    form,
    variations,
    parentId,
    onCreated,
    onSent: (sentValues) => {
      draft.sent(sentValues);
      setSheetOpen(false);
      if (!continuing) setParentId(undefined);
      setPresetNote(undefined);
    },
  });
  const errors = formState.errors;
  const err = (name: keyof FormValues) => errors[name]?.message as string | undefined;
  const invalidFields = formState.submitCount > 0 ? (Object.keys(errors) as (keyof FormValues)[]).filter((name) => errors[name]) : [];
  const jumpTo = (name: string) => {
    try {
      setFocus(name as keyof FormValues);
    } catch {
      // A field without a focusable ref (a frame slot, a reference list): scrolled to below.
    }
    // A material (a reference list, a frame) has no field of its own in view: its Add menu is.
    const material = name.startsWith("reference") || name === "firstFrame" || name === "lastFrame";
    const element = document.getElementById(material ? ADD_MATERIAL_ID : name) ?? document.querySelector<HTMLElement>(`[name="${name}"]`);
    if (element && !element.contains(document.activeElement)) {
      element.scrollIntoView({ block: "nearest" });
      element.focus?.({ preventScroll: true });
    }
  };

  // Dropped or pasted on the prompt: references where the model takes them, else the frames.
  const onFiles = (files: File[]) => {
    loadFormCode();
    if (caps.references) {
      void references.addFiles(files);
      return;
    }
    const image = files.find((file) => file.type.startsWith("image/"));
    if (!image || !caps.acceptsFirstFrame) return;
    const field = getValues("firstFrame") && caps.acceptsLastFrame ? "lastFrame" : "firstFrame";
    void import("@/lib/images/prepare").then(async ({ prepareImage }) => {
      const prepared = await prepareImage(image);
      if (field === "firstFrame") frameDecidesRatio();
      setValue(field, prepared.dataUrl, { shouldDirty: true });
    });
  };

  const costRefused = COST_FIELDS.some((field) => errors[field] || liveIssues.some((issue) => issue.field === field));
  const summaryLabel = (name: string) => {
    const key = SUMMARY_LABEL[name];
    if (!key) return name;
    return name.startsWith("reference") ? tr(key as "referenceImages") : t(key);
  };

  return (
    <form
      onSubmit={submit.onSubmit}
      // The first touch fetches the validation code, so the first Generate does not wait for it.
      onFocusCapture={(event) => {
        loadFormCode();
        if (event.target instanceof HTMLTextAreaElement && event.target.id === "prompt") setFocusedPrompt(event.target);
      }}
      onPointerDownCapture={loadFormCode}
      onDragEnterCapture={loadFormCode}
      noValidate
      data-sheet={sheetOpen || invalidFields.length > 0 ? "open" : "peek"}
      className={`group/sheet flex flex-col gap-4 ${CLEAR_OF_STICKY_BAR}`}
      aria-label={t("newClip")}
    >
      <SheetHandle open={sheetOpen || invalidFields.length > 0} onToggle={() => setSheetOpen((open) => !open)} />
      {continuing && <ContinuingChip from={continuing} onStop={stopContinuing} />}
      {presetNote && <PresetNote note={presetNote} onStartOver={preset?.restored ? onStartOver : undefined} />}

      <PromptBox
        field={promptField}
        textareaRef={(element) => {
          promptField.ref(element);
          promptElement.current = element;
        }}
        placeholder={preset?.promptHint}
        length={countCharacters(values.prompt ?? "")}
        error={err("prompt")}
        onFiles={onFiles}
        onSubmitShortcut={() => void submit.onSubmit()}
        attachments={
          <ReferenceTray
            references={references}
            values={values}
            model={model}
            errors={errors}
            frames={
              <Frames
                form={form}
                values={values}
                model={model}
                err={err}
                submitted={formState.isSubmitted}
                continuing={Boolean(continuing)}
                onStopContinuing={stopContinuing}
                onFirstFrame={firstFrameChanged}
                // Pending uploads count: the empty frame tiles go when the files are picked, not a moment later.
                referencesAttached={references.pending.length > 0 || references.kinds.some((kind) => (values[fieldOf(kind)]?.length ?? 0) > 0)}
              />
            }
          />
        }
        below={
          <>
            <MentionedSlot active={focusedPrompt !== null} materials={materials} prompt={values.prompt ?? ""} />
            <FlagChips chips={flags.chips} errorOf={(field) => err(field as keyof FormValues)} onClear={flags.clear} />
          </>
        }
      >
        <MentionMenuSlot active={focusedPrompt !== null} textarea={focusedPrompt} materials={materials} onInsert={insertMention} />
      </PromptBox>

      <div className="flex flex-col gap-1.5">
        <div className="flex flex-wrap items-center gap-2">
          <ModelPicker model={model} settings={costRefused ? null : { ...values, referenceVideoSeconds: references.videoSeconds(values) }} prices={prices} onPick={modelSwitch.pick} />
          <span className={`min-w-0 flex-1 text-xs text-muted ${SHEET_EXTRA}`}>{tm(model)}</span>
        </div>
        {modelSwitch.note?.model === model && modelSwitch.note.changes.length > 0 && <ModelSwitchNote model={model} changes={modelSwitch.note.changes} />}
      </div>

      <div className={`flex flex-col gap-4 ${SHEET_EXTRA}`}>
      <Settings
        form={form}
        values={values}
        model={model}
        err={err}
        lengthMode={lengthMode}
        onLengthMode={setLengthMode}
        variations={variations}
        onVariations={setVariations}
        ratioFollowsFrame={ratioBeforeFrame !== undefined}
        onAudioChosen={modelSwitch.audioChosen}
      />

      <Advanced form={form} values={values} model={model} err={err} />

      {liveIssues.length > 0 && formState.submitCount === 0 && (
        <ul className="rounded-lg border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-xs" aria-label={t("beforeYouGenerate")}>
          {liveIssues.map((issue) => (
            <li key={issue.field}>{errorText(issue.error)}</li>
          ))}
        </ul>
      )}
      </div>

      <GenerateBar
        busy={submit.pending || formState.isSubmitting}
        cost={costRefused ? null : { ...values, model, referenceVideoSeconds: references.videoSeconds(values) }}
        prices={prices}
        variations={variations}
        invalid={invalidFields.map((name) => ({ name, label: summaryLabel(name) }))}
        onJump={jumpTo}
        formError={submit.formError}
        progressText={submit.progressText}
        waiting={submit.waiting}
      />
    </form>
  );
});
