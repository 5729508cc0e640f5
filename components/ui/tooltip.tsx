import type { ReactNode } from "react";

interface TooltipProps {
  text: string;
  children: ReactNode;
  side?: "top" | "bottom";
  align?: "center" | "start" | "end";
  /**
   * "control" (default): placed against the control itself. "row": against the nearest
   * positioned ancestor instead (a row of icon buttons over a clip), from its start or end edge
   * and never wider than it, so a hint on a narrow tile is not cut off by the tile's edge.
   */
  anchor?: "control" | "row";
}

const ALIGN = { center: "left-1/2 -translate-x-1/2", start: "left-0", end: "right-0" } as const;

/**
 * A visible hint on hover and keyboard focus, for an icon-only control. CSS only (no code ships).
 * The text is what the control's own accessible name or description already says, so it is
 * hidden from assistive technology instead of being read twice.
 */
export function Tooltip({ text, children, side = "bottom", align = "center", anchor = "control" }: TooltipProps) {
  const row = anchor === "row";
  return (
    <span className={`group/tip inline-flex${row ? "" : " relative"}`}>
      {children}
      <span
        aria-hidden
        className={`pointer-events-none absolute z-10 rounded-md bg-ink px-2 py-1 text-xs text-surface opacity-0 transition-opacity group-hover/tip:opacity-100 group-has-[:focus-visible]/tip:opacity-100 ${
          side === "top" ? "bottom-full mb-1" : "top-full mt-1"
        } ${ALIGN[row && align === "center" ? "start" : align]} ${row ? "w-max max-w-full" : "whitespace-nowrap"}`}
      >
        {text}
      </span>
    </span>
  );
}
