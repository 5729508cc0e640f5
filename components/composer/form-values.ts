import { DEFAULT_DURATION, DEFAULT_MODEL, MODELS, isModelId, type ModelId } from "@/lib/seedance/models";
import type { GenerationSpec } from "@/lib/seedance/schema";

// Shared by the form (browser) and the studio page (server), which formats the default
// estimate's numbers ahead of time.
export type FormValues = Partial<Omit<GenerationSpec, "model" | "prompt">> & { model: ModelId; prompt: string };

export interface ContinueFrom {
  id: string;
  /** The clip's last frame (our media URL), drawn small in the chip. */
  thumb: string;
  prompt: string;
}

export interface FormPreset {
  values: FormValues;
  parentId?: string;
  /** Changes on every remix/continue so the same clip can be loaded twice. */
  nonce: number;
  note?: string;
  /** Continue from a clip's last frame: the form shows it as a chip until removed. */
  continueFrom?: ContinueFrom;
  /** A draft saved before a reload (form-draft.ts), which the creator may drop. */
  restored?: boolean;
  /** The prompt box's placeholder for this preset (an edit says what to write). */
  promptHint?: string;
  /** What the reference tray shows of the preset's references (previews, lengths). */
  referenceMeta?: Record<string, { preview?: string; seconds?: number; name?: string }>;
}

export const DEFAULT_VALUES: FormValues = {
  model: DEFAULT_MODEL,
  prompt: "",
  resolution: "720p",
  ratio: "16:9",
  duration: DEFAULT_DURATION,
  camerafixed: false,
  watermark: false,
  // The default model (2.0) makes sound, and sound is why creators pick it.
  generate_audio: true,
  service_tier: "default",
  return_last_frame: false,
};

/**
 * The form's starting values for a preset (a remix, a continue, a draft): the defaults, with sound
 * on only where the preset's model makes it (a 1.0 clip's request says nothing of sound), then the
 * preset's own values.
 */
export function startingValues(preset?: Partial<FormValues>): FormValues {
  const model = preset?.model && isModelId(preset.model) ? preset.model : DEFAULT_VALUES.model;
  return { ...DEFAULT_VALUES, generate_audio: MODELS[model].acceptsAudio, ...preset } as FormValues;
}
