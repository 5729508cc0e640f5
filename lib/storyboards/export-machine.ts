/**
 * The storyboard export state machine: the one place that decides whether an export's status
 * may change, as data. The export loop, "Export film" and edits all write through the gate in
 * export-gate.ts, which asks this table, so a late write (an instance whose lease ran out, a
 * second click) can never move an export somewhere it may not go.
 */
import { STORYBOARD_EXPORT_STATUSES, type StoryboardExportStatus } from "@/lib/db/schema";

export const EXPORT_TRANSITIONS = {
  /** "Export film". */
  none: ["queued"],
  /** The export loop takes it. */
  queued: ["running"],
  /**
   * Done, or failed; running again when another instance takes over an export whose lease ran
   * out or whose process is gone; queued when "Export film" is pressed on such a stuck export.
   */
  running: ["running", "succeeded", "failed", "queued"],
  /** Export again (after an edit). */
  succeeded: ["queued"],
  /** Try again. */
  failed: ["queued"],
} as const satisfies Record<StoryboardExportStatus, readonly StoryboardExportStatus[]>;

export function canTransitionExport(from: StoryboardExportStatus, to: StoryboardExportStatus): boolean {
  return (EXPORT_TRANSITIONS[from] as readonly StoryboardExportStatus[]).includes(to);
}

/** The statuses from which `to` may be entered. */
export function exportSourcesOf(to: StoryboardExportStatus): StoryboardExportStatus[] {
  return STORYBOARD_EXPORT_STATUSES.filter((from) => canTransitionExport(from, to));
}

/** Statuses in which the storyboard itself may change (not while an export is queued or running). */
export const EDITABLE_EXPORT_STATUSES = ["none", "succeeded", "failed"] as const satisfies readonly StoryboardExportStatus[];
