import type { ReactNode } from "react";

/** What a control inside a Field spreads onto itself: its id and the texts that describe it. */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

interface FieldProps {
  id: string;
  label: ReactNode;
  /** Kept for screen readers only (a search box whose placeholder already says what it is). */
  labelHidden?: boolean;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A label, the control, a hint and an error, wired together: the control is named by the label
 * and described by the hint and the error (`aria-describedby`), and is `aria-invalid` while the
 * error shows. Server-renderable.
 */
export function Field({ id, label, labelHidden, hint, error, className, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : "";
  const errorId = error ? `${id}-error` : "";
  const describedBy = `${hintId} ${errorId}`.trim() || undefined;
  return (
    <div className={`flex flex-col gap-1.5${className ? ` ${className}` : ""}`}>
      <label htmlFor={id} className={labelHidden ? "sr-only" : "text-sm font-medium"}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
