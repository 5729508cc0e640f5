import type { ReactNode } from "react";

/**
 * A visible hint on hover and keyboard focus, for an icon-only control. CSS only (no code ships).
 * The text is what the control's own accessible name or description already says, so it is
 * hidden from assistive technology instead of being read twice.
 */
export function Tooltip({ text, children, side = "bottom", align = "center" }: { text: string; children: ReactNode; side?: "top" | "bottom"; align?: "center" | "end" }) {
  return (
    <span className="group/tip relative inline-flex">
      {children}
      <span
        aria-hidden
        className={`pointer-events-none absolute z-10 whitespace-nowrap rounded-md bg-ink px-2 py-1 text-xs text-surface opacity-0 transition-opacity group-hover/tip:opacity-100 group-has-[:focus-visible]/tip:opacity-100 ${
          side === "top" ? "bottom-full mb-1" : "top-full mt-1"
        } ${align === "end" ? "right-0" : "left-1/2 -translate-x-1/2"}`}
      >
        {text}
      </span>
    </span>
  );
}
