import type { ButtonHTMLAttributes, Ref } from "react";

/*
 * The studio's one button look. Server-renderable (no state): a client component passes its own
 * handlers. Links that look like buttons (Download, Open) take `buttonClass()` on their <a>.
 */

const VARIANTS = {
  /** The press a panel is for: Generate, Create link, Export. */
  primary: "bg-accent text-white hover:bg-accent-strong",
  /** Everything else: outlined, the accent on hover. */
  secondary: "border border-line hover:border-accent",
  /** A press that asks again for something paid or lost (Retry). */
  accent: "border border-accent text-accent",
  /** The press that destroys, once confirmed. */
  danger: "bg-red-600 text-white hover:bg-red-700",
  /** A destructive press before its confirmation (Delete, Revoke). */
  dangerOutline: "border border-line hover:border-red-500",
  /** Destructive and final in one press (Revoke a link). */
  dangerText: "border border-red-500 text-red-600 dark:text-red-400",
  /** Inline in a sentence. */
  link: "underline hover:text-ink",
} as const;

const SIZES = {
  /** Card and panel actions, in text-xs rows. */
  sm: "rounded-lg px-2 py-1",
  md: "rounded-lg px-3 py-1.5 text-sm",
  /** The one press of a page or form (Sign in, Create key). */
  lg: "rounded-lg px-4 py-2 font-medium",
  /** Beside a form field: as tall as the row it sits in. */
  field: "rounded-lg px-3",
  /** A square around one icon. */
  icon: "rounded-lg p-1.5",
  /** Inline text: no box of its own. */
  inline: "",
} as const;

export type ButtonVariant = keyof typeof VARIANTS;
export type ButtonSize = keyof typeof SIZES;

export function buttonClass({ variant = "secondary", size = "sm", className }: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}) {
  return `inline-flex items-center justify-center gap-1 disabled:cursor-not-allowed disabled:opacity-50 ${VARIANTS[variant]} ${SIZES[size]}${className ? ` ${className}` : ""}`;
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize; ref?: Ref<HTMLButtonElement> };

/** A `type="button"` unless told otherwise, so a press inside a form never submits it by accident. */
export function Button({ variant, size, className, type = "button", ...props }: ButtonProps) {
  return <button type={type} className={buttonClass({ variant, size, className })} {...props} />;
}
