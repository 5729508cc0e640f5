import { DEFAULT_DURATION, DEFAULT_MODEL, type ModelId } from "@/lib/seedance/models";
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
}

export const DEFAULT_VALUES: FormValues = {
  model: DEFAULT_MODEL,
  prompt: "",
  resolution: "720p",
  ratio: "16:9",
  duration: DEFAULT_DURATION,
  camerafixed: false,
  watermark: false,
  generate_audio: false,
  service_tier: "default",
  return_last_frame: false,
};
