import type { HTMLAttributes } from "react";

// Light: pale fills with dark text. Dark: deep fills with light text and a hairline of the hue,
// so a badge neither glares on a dark page nor sinks into a dark frame of video.
const TONES = {
  neutral: "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-500/40",
  info: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/40",
  progress: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-400/40",
  success: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/40",
  danger: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/40",
  warning: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/40",
} as const;

export type StatusTone = keyof typeof TONES;

/** A small pill naming a state, in each scheme's own colours; it reads over video as well as on the page. */
export function StatusBadge({ tone, className, ...props }: HTMLAttributes<HTMLSpanElement> & { tone: StatusTone }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium dark:ring-1 ${TONES[tone]}${className ? ` ${className}` : ""}`} {...props} />;
}
