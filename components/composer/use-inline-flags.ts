"use client";

import { useRef, useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import type { InlineField } from "@/lib/seedance/flags";
import { inlineFlags } from "./form-code";
import type { FormValues } from "./form-values";

/** A flag lifted out of the prompt into its control, as typed (`raw`). */
export interface FlagChip {
  field: InlineField;
  raw: string;
  /** The last words before the flag when it was lifted: while the prompt holds them, the chip is its own. */
  anchor: string;
  /** The value the flag set: once the control holds another (set by hand), the chip is gone. */
  value: unknown;
}

/** The last few words of a prompt: what a flag typed after them belongs to. */
const anchorOf = (prompt: string) => prompt.trim().split(/\s+/).slice(-3).join(" ");

type LengthMode = "duration" | "frames";

/**
 * Inline flags (`--rs 720p --dur 5`) typed into the prompt, lifted into their controls as each
 * one is finished (a space after its value, or leaving the box), and shown as chips:
 *
 * - Lifting keeps the space the creator just typed: trimming it glued the next flag onto the
 *   last word ("a fox in snow--dur 4"), and that flag was never read.
 * - A chip belongs to the words it was typed after: once the prompt no longer holds them (emptied,
 *   or written over with the next idea) the chip goes and its control gets back the value it had
 *   before the flag, so a stale "Length: 99" never rides into the next prompt. The chip's × does
 *   the same for one.
 */
export function useInlineFlags(form: UseFormReturn<FormValues>, values: FormValues, setLengthMode: (mode: LengthMode) => void) {
  const { setValue, getValues, trigger } = form;
  const [lifted, setChips] = useState<FlagChip[]>([]);
  // A control set by hand since its flag was lifted is the creator's: its chip no longer speaks for it.
  const chips = lifted.filter((chip) => Object.is(values[chip.field as keyof FormValues], chip.value));
  // What each control held before a flag set it, to give back when the chip goes.
  const before = useRef(new Map<InlineField, { value: unknown; lengthMode?: LengthMode }>());

  const restore = (fields: readonly InlineField[]) => {
    for (const field of fields) {
      const saved = before.current.get(field);
      before.current.delete(field);
      setValue(field as keyof FormValues, saved?.value as never, { shouldDirty: true, shouldValidate: true });
      if (saved?.lengthMode) setLengthMode(saved.lengthMode);
    }
    setChips((current) => current.filter((chip) => !fields.includes(chip.field)));
  };

  const lift = (text: string, force: boolean) => {
    // A flag is finished by the space after its value; one still being typed ("--rs 4" on the way
    // to 480p) is left alone. Checked again when the parser arrives, on the text as it is then.
    if (!force && !/\s$/.test(text)) return;
    const flags = inlineFlags.current;
    if (!flags) {
      // Not arrived yet (it comes with the form's first touch): lift from the prompt as it is then.
      // If it cannot be fetched, the flags stay in the prompt; the schema lifts them on sending.
      inlineFlags.load().then(() => lift(getValues("prompt") ?? "", force), () => undefined);
      return;
    }
    const parsed = flags.parseInlineFlags(text);
    if (parsed.found.length === 0) return;
    if (!force && parsed.found.some((f) => f.raw === "")) return;
    const keepSpace = !force && parsed.prompt !== "" && /\s$/.test(text);
    setValue("prompt", keepSpace ? `${parsed.prompt} ` : parsed.prompt, { shouldDirty: true });
    for (const found of parsed.found) {
      if (!chips.some((chip) => chip.field === found.field)) {
        const lengthField = found.field === "frames" || found.field === "duration";
        before.current.set(found.field, { value: getValues(found.field as keyof FormValues), lengthMode: lengthField ? (getValues("frames") !== undefined ? "frames" : "duration") : undefined });
      }
      if (found.field === "frames") {
        setLengthMode("frames");
        setValue("duration", undefined);
      }
      if (found.field === "duration") {
        setLengthMode("duration");
        setValue("frames", undefined);
      }
      setValue(found.field as keyof FormValues, parsed.fields[found.field] as never, { shouldDirty: true });
    }
    const anchor = anchorOf(parsed.prompt);
    setChips((current) => [...current.filter((c) => !parsed.found.some((f) => f.field === c.field)), ...parsed.found.map((f) => ({ field: f.field, raw: f.raw, anchor, value: parsed.fields[f.field] }))]);
    void trigger(parsed.found.map((f) => f.field as keyof FormValues));
  };

  return {
    chips,
    /** The × on one chip: its control goes back to what it held before the flag. */
    clear: (field: InlineField) => restore([field]),
    onPromptChange: (text: string) => {
      const orphaned = chips.filter((chip) => text.trim() === "" || !text.includes(chip.anchor));
      if (orphaned.length > 0) restore(orphaned.map((chip) => chip.field));
      if (text.trim() !== "" && /\s$/.test(text)) lift(text, false);
    },
    onPromptBlur: (text: string) => lift(text, true),
  };
}
