import type { InputHTMLAttributes, Ref } from "react";

type ToggleProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  /** Why the control is off for the current choice; shown beside it and as a tooltip. */
  disabledReason?: string;
  error?: string;
  ref?: Ref<HTMLInputElement>;
};

export function Toggle({ label, disabledReason, error, ref, ...input }: ToggleProps) {
  const id = `opt-${input.name}`;
  return (
    <div className="flex flex-col gap-0.5">
      <label
        htmlFor={id}
        title={disabledReason}
        className="flex cursor-pointer items-center gap-2 text-sm has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-50"
      >
        <input
          id={id}
          ref={ref}
          type="checkbox"
          disabled={Boolean(disabledReason)}
          className="h-4 w-4 accent-accent"
          aria-describedby={disabledReason ? `${id}-hint` : undefined}
          aria-invalid={Boolean(error)}
          {...input}
        />
        {label}
      </label>
      {disabledReason && (
        <span id={`${id}-hint`} className="pl-6 text-xs text-muted">
          {disabledReason}
        </span>
      )}
      {error && (
        <span role="alert" className="pl-6 text-xs text-red-600 dark:text-red-400">
          {error}
        </span>
      )}
    </div>
  );
}
