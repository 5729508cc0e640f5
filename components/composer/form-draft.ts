"use client";

import { del, get, set } from "idb-keyval";
import { isModelId } from "@/lib/seedance/models";
import { noteDraft } from "./draft-hint";
import { DEFAULT_VALUES, type FormValues } from "./form-values";

/**
 * The form as the creator left it, kept in IndexedDB (its frames are data URLs of up to 4 MB,
 * past what localStorage holds), so a reload or a closed tab loses nothing. Loaded on demand:
 * none of this is in the page's first JavaScript.
 */
export interface FormDraft {
  values: FormValues;
  /** The clip a "Continue from last frame" draft continues. */
  parentId?: string;
}

const KEY = "seedance-studio:form-draft:v1";

/** The same form: every field equal, an unset field the same as an empty one. */
export function sameValues(a: Partial<FormValues>, b: Partial<FormValues>): boolean {
  const filled = (v: unknown) => v !== undefined && v !== "";
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof FormValues)[]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if ((filled(x) || filled(y)) && x !== y) return false;
  }
  return true;
}

/** Nothing worth keeping: the form as a fresh page shows it. */
export function isBlank(draft: FormDraft): boolean {
  return !draft.parentId && sameValues(draft.values, DEFAULT_VALUES);
}

/** The saved draft, or null when there is none or it no longer fits the form (a model since removed). */
export async function readDraft(): Promise<FormDraft | null> {
  const stored: unknown = await get(KEY);
  if (!stored || typeof stored !== "object") return null;
  const { values, parentId } = stored as Partial<FormDraft>;
  if (!values || typeof values !== "object" || typeof values.prompt !== "string" || !isModelId(values.model)) return null;
  return { values: { ...DEFAULT_VALUES, ...values }, ...(typeof parentId === "string" ? { parentId } : {}) };
}

/** Saves the draft; a blank one is removed instead. */
export async function writeDraft(draft: FormDraft): Promise<void> {
  if (isBlank(draft)) return clearDraft();
  await set(KEY, draft);
  noteDraft(true);
}

export async function clearDraft(): Promise<void> {
  noteDraft(false);
  await del(KEY);
}
