"use client";

import { useId, useRef, type KeyboardEvent, type ReactNode } from "react";
import { buttonClass, type ButtonSize, type ButtonVariant } from "./button";
import { Icon } from "./icons";

export interface MenuItem {
  label: ReactNode;
  onSelect: () => void;
  disabled?: boolean;
}

interface MenuProps {
  /** The trigger's text (and accessible name). */
  label: ReactNode;
  items: readonly MenuItem[];
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Which edge of the trigger the list lines up with. */
  align?: "start" | "end";
  /** The trigger's id (a link elsewhere can focus it). */
  id?: string;
}

/**
 * A button that opens a short list of actions. Built on the Popover API: the browser puts the list
 * in the top layer (above a modal dialog too), closes it on Escape or a click outside, and gives
 * focus back to the trigger. The code here places the list under its trigger and moves focus
 * with the arrow keys, as the ARIA menu pattern asks.
 */
export function Menu({ label, items, variant = "secondary", size = "sm", align = "start", id: triggerId }: MenuProps) {
  const id = useId();
  const list = useRef<HTMLDivElement>(null);

  // Runs before the popover opens (a click's default action comes after its listeners).
  const place = (trigger: HTMLElement) => {
    const node = list.current;
    if (!node) return;
    const rect = trigger.getBoundingClientRect();
    node.style.top = `${rect.bottom + 4}px`;
    if (align === "end") {
      node.style.left = "auto";
      node.style.right = `${document.documentElement.clientWidth - rect.right}px`;
    } else {
      node.style.right = "auto";
      node.style.left = `${rect.left}px`;
    }
  };

  const itemsOf = () => Array.from(list.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = itemsOf();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (next === undefined || all.length === 0) return;
    event.preventDefault();
    all[(next + all.length) % all.length]?.focus();
  };

  return (
    <>
      <button
        type="button"
        id={triggerId}
        popoverTarget={id}
        aria-haspopup="menu"
        onClick={(event) => place(event.currentTarget)}
        className={buttonClass({ variant, size })}
      >
        {label}
        <Icon>
          <path d="M6 9l6 6 6-6" />
        </Icon>
      </button>
      <div
        ref={list}
        id={id}
        popover="auto"
        role="menu"
        onKeyDown={onKeyDown}
        onToggle={(event) => {
          if ((event.nativeEvent as ToggleEvent).newState === "open") itemsOf()[0]?.focus();
        }}
        className="fixed m-0 min-w-40 flex-col rounded-xl border border-line bg-surface p-1 text-xs text-ink shadow-lg [&:popover-open]:flex"
      >
        {items.map((item, index) => (
          <button
            key={index}
            type="button"
            role="menuitem"
            disabled={item.disabled}
            onClick={() => {
              list.current?.hidePopover();
              item.onSelect();
            }}
            className="rounded-lg px-2 py-1.5 text-left hover:bg-surface-2 focus-visible:bg-surface-2 disabled:opacity-50"
          >
            {item.label}
          </button>
        ))}
      </div>
    </>
  );
}
