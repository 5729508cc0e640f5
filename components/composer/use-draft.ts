"use client";

import { useEffect, useRef } from "react";
import type { UseFormReturn } from "react-hook-form";
import type { FormPreset, FormValues } from "./form-values";

/** Typing pauses this long before the draft is saved. */
const DRAFT_SAVE_DELAY_MS = 500;

/**
 * The form as it is, kept for a reload (form-draft.ts). Not while a fresh form is untouched:
 * saving it would erase a draft the studio has not read yet. A sent clip is no draft: `sent()`
 * drops it, and nothing is saved again until the form changes.
 */
export function useDraft({ values, parentId, preset, isDirty }: { values: FormValues; parentId?: string; preset?: FormPreset; isDirty: boolean }) {
  const touched = useRef(false);
  const sentValues = useRef<FormValues | null>(null);
  useEffect(() => {
    if (isDirty) touched.current = true;
    if (!preset && !touched.current) return;
    const timer = setTimeout(() => {
      void import("./form-draft")
        .then((drafts) => {
          if (sentValues.current && drafts.sameValues(sentValues.current, values)) return;
          sentValues.current = null;
          return drafts.writeDraft({ values, parentId });
        })
        .catch(() => undefined);
    }, DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [values, parentId, preset, isDirty]);

  return {
    sent(values: FormValues) {
      sentValues.current = values;
      void import("./form-draft").then((drafts) => drafts.clearDraft()).catch(() => undefined);
    },
  };
}

/**
 * The form is in the server's HTML, shown before its code arrives: words typed by then are in
 * the field, and react-hook-form reads them when it registers the field, but its watchers (the
 * counter, the estimate, the draft) started from the empty default and are not told; setting
 * the same value again tells no one, so it is set empty first, within one task (never painted).
 * A form mounted in the browser (a preset) had nothing typed before it.
 */
export function useTypedBeforeHydration(form: UseFormReturn<FormValues>, prompt: { current: HTMLTextAreaElement | null }, preset?: FormPreset) {
  const { setValue } = form;
  useEffect(() => {
    if (preset) return;
    const timer = setTimeout(() => {
      const typed = prompt.current?.value;
      if (!typed) return;
      setValue("prompt", "");
      setValue("prompt", typed, { shouldDirty: true });
    });
    return () => clearTimeout(timer);
  }, [preset, setValue, prompt]);
  // A remix, continue or extend is a press in the gallery: the prompt takes the typing next.
  // Continuing means describing what happens next: the old prompt is selected, typing replaces it.
  // Not a draft restored at load, which nobody asked for just then.
  useEffect(() => {
    if (!preset || preset.restored) return;
    const timer = setTimeout(() => (preset.continueFrom ? prompt.current?.select() : prompt.current?.focus({ preventScroll: true })));
    return () => clearTimeout(timer);
  }, [preset, prompt]);
}
