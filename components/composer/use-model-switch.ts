"use client";

import { useRef, useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import { MODELS, type ModelId } from "@/lib/seedance/models";
import type { ModelSwitchChange } from "@/lib/seedance/rules";
import { rules as formRules } from "./form-code";
import type { FormValues } from "./form-values";

/**
 * Picking a model keeps what it can take and says what changed ("1080p → 720p on 2.0 Fast"),
 * shown beside the model until the next switch. Sound follows the model (on where it makes it,
 * as the provider's own studio does) until the creator sets it themselves.
 */
export function useModelSwitch(form: UseFormReturn<FormValues>, onFramesGone: () => void) {
  const [note, setNote] = useState<{ model: ModelId; changes: ModelSwitchChange[] } | null>(null);
  const audioChosen = useRef(false);
  const pick = (picked: ModelId) => {
    // The rules arrive with the form's first focus, so before this change as a rule (and then
    // apply in the same render). If they cannot be fetched, the model still changes and the
    // schema names what it cannot take.
    const apply = (loaded = formRules.current) => {
      const current = form.getValues();
      let next = loaded ? loaded.adaptToModel(current, picked) : { ...current, model: picked };
      if (!audioChosen.current) next = { ...next, generate_audio: MODELS[picked].acceptsAudio };
      form.reset(next, { keepDefaultValues: true });
      setNote(loaded ? { model: picked, changes: loaded.modelSwitchChanges(current, next) } : null);
      if (!MODELS[picked].acceptsFrames) onFramesGone();
    };
    if (formRules.current) apply();
    else formRules.load().then(apply, () => apply());
  };
  return { note, pick, audioChosen: () => void (audioChosen.current = true) };
}
