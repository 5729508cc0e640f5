/**
 * A flag in localStorage, set while IndexedDB holds a form draft (form-draft.ts): a page without
 * a draft, the usual case, reads it synchronously and never loads the draft code or opens the
 * database while it loads.
 */
const HINT_KEY = "seedance-studio:form-draft";

export function mayHaveDraft(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === "1";
  } catch {
    return false;
  }
}

export function noteDraft(present: boolean): void {
  try {
    if (present) localStorage.setItem(HINT_KEY, "1");
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // Storage refused (private mode, quota): the draft is still kept, only not found at load.
  }
}
