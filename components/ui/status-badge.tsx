import type { HTMLAttributes } from "react";

const TONES = {
  neutral: "bg-zinc-100 text-zinc-800",
  info: "bg-sky-100 text-sky-800",
  progress: "bg-violet-100 text-violet-800",
  success: "bg-emerald-100 text-emerald-800",
  danger: "bg-red-100 text-red-800",
  warning: "bg-amber-100 text-amber-800",
} as const;

export type StatusTone = keyof typeof TONES;

/** A small pill naming a state; light in both schemes, so it reads over video as well as the page. */
export function StatusBadge({ tone, className, ...props }: HTMLAttributes<HTMLSpanElement> & { tone: StatusTone }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${TONES[tone]}${className ? ` ${className}` : ""}`} {...props} />;
}
