import type { InputHTMLAttributes, Ref, SelectHTMLAttributes } from "react";

/*
 * Native form controls in the studio's look. Native on purpose: keyboard, mobile pickers and
 * form autofill come for free, and no code ships for them. `ref` passes through (react-hook-form).
 */

const CONTROL = "rounded-lg border border-line bg-surface disabled:cursor-not-allowed disabled:opacity-50 aria-[invalid=true]:border-red-500";
const SIZE = { md: "w-full px-3 py-2 text-sm", sm: "px-2 py-1.5 text-xs" } as const;

export function controlClass(size: keyof typeof SIZE = "md", className?: string) {
  return `${CONTROL} ${SIZE[size]}${className ? ` ${className}` : ""}`;
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { compact?: boolean; ref?: Ref<HTMLSelectElement> };

export function Select({ compact, className, ...props }: SelectProps) {
  return <select className={controlClass(compact ? "sm" : "md", className)} {...props} />;
}

type NumberInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { compact?: boolean; ref?: Ref<HTMLInputElement> };

/** A number box: a numeric keypad on phones, the browser's own min/max/step. */
export function NumberInput({ compact, className, ...props }: NumberInputProps) {
  return <input type="number" inputMode="decimal" className={controlClass(compact ? "sm" : "md", className)} {...props} />;
}
