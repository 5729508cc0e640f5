import type { ReactNode } from "react";

export interface Choice<V extends string> {
  value: V;
  label: ReactNode;
  disabled?: boolean;
  /** Why it is off, or what it does; shown on hover. */
  title?: string;
}

interface ChoiceChipsProps<V extends string> {
  /** The group's name for assistive technology (a visually hidden legend). */
  label: string;
  /** The radio group's `name`: unique on the page. */
  name: string;
  choices: readonly Choice<V>[];
  value: V;
  onChange: (value: V) => void;
  className?: string;
}

/**
 * One choice among a few, as chips: native radio buttons underneath, so arrow keys move between
 * them and a screen reader says "2 of 4". Server-renderable; the parent owns the state.
 */
export function ChoiceChips<V extends string>({ label, name, choices, value, onChange, className }: ChoiceChipsProps<V>) {
  return (
    <fieldset className={`flex gap-1 rounded-xl border border-line bg-surface p-1${className ? ` ${className}` : ""}`}>
      <legend className="sr-only">{label}</legend>
      {choices.map((choice) => (
        <label
          key={choice.value}
          title={choice.title}
          className="cursor-pointer rounded-lg px-2.5 py-1 text-xs has-[:checked]:bg-accent has-[:checked]:text-white has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-40 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent"
        >
          <input
            type="radio"
            name={name}
            value={choice.value}
            checked={value === choice.value}
            disabled={choice.disabled}
            onChange={() => onChange(choice.value)}
            className="sr-only"
          />
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}
