import type { ReactNode, SVGProps } from "react";

/*
 * Icons drawn as SVG: an emoji or symbol glyph depends on the fonts of the machine (Debian's
 * Chromium without an emoji font drew the dice as an empty box). Decorative: the button or link
 * around an icon carries the accessible name. 1em square, in the text's colour.
 *
 * Every export here ships with whoever imports one of them (the studio form, in the first load),
 * so the file stays small: an icon only one lazily loaded component draws lives with it (the
 * Menu's caret).
 */

type IconProps = SVGProps<SVGSVGElement>;

export function Icon({ children, ...props }: IconProps) {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" aria-hidden {...props}>
      {children}
    </svg>
  );
}

const icon = (drawing: ReactNode) =>
  function DrawnIcon(props: IconProps) {
    return <Icon {...props}>{drawing}</Icon>;
  };

export const DiceIcon = icon(
  <>
    <rect x="3" y="3" width="18" height="18" rx="3" />
    {/* Five pips: zero-length strokes, drawn as dots by the round caps. */}
    <path d="M8 8h0m8 0h0m-4 4h0m-4 4h0m8 0h0" strokeWidth={3} />
  </>,
);

export const CloseIcon = icon(<path d="M6 6l12 12M18 6L6 18" />);
export const ChevronDownIcon = icon(<path d="M6 9l6 6 6-6" />);
export const PlusIcon = icon(<path d="M12 5v14M5 12h14" />);
export const SwapIcon = icon(<path d="M7 7h13l-4-4M17 17H4l4 4" />);
export const LinkIcon = icon(<path d="M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1" />);
