"use client";

import { useEffect, useEffectEvent, useId, useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { insertMention, mentionMatches, mentionQuery, mentionsIn, mentionText, unattached, type MentionQuery } from "@/lib/seedance/mentions";
import { REFERENCE_KINDS, type ReferenceKind } from "@/lib/seedance/models";

/** An attached material the prompt can mention: the nth of its kind, in the order attached. */
export interface MentionMaterial {
  kind: ReferenceKind;
  /** 1-based, as the provider counts ("image 1" is the first reference image). */
  n: number;
  /** What the creator calls it, in their language ("Image 1", "이미지 1"); also matched against what is typed. */
  label: string;
  /** An image URL to show beside it (an image's preview, a video's poster). */
  thumb?: string;
}

interface MentionMenuProps {
  /** The prompt box the menu serves; null until it is mounted. */
  textarea: HTMLTextAreaElement | null;
  materials: readonly MentionMaterial[];
  /** The text after a choice and the caret to put back: the host sets its form value and the selection. */
  onInsert: (nextText: string, caret: number) => void;
}

const same = (a: MentionQuery | null, b: MentionQuery | null) => a === b || (a !== null && b !== null && a.start === b.start && a.query === b.query);

/**
 * Typing `@` in the prompt offers the attached materials; choosing one writes the words the
 * provider reads ("image 1", see lib/seedance/mentions.ts) in place of the `@` and what followed
 * it. Render it right after the textarea: it draws under it, over what comes next.
 *
 * Focus stays in the textarea throughout (the listbox pattern with `aria-activedescendant`):
 * ArrowUp/ArrowDown move, Enter or Tab choose, Escape closes until the next `@`. A key the menu
 * used has its default prevented, so a host's own key handler should skip `event.defaultPrevented`.
 * Keys pressed while an input method composes (Korean) are left alone.
 */
export function MentionMenu({ textarea, materials, onInsert }: MentionMenuProps) {
  const t = useTranslations("mentions");
  const id = useId();
  const listId = `${id}-list`;
  const optionId = (index: number) => `${id}-option-${index}`;
  const [at, setAt] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  /** The `@` the creator closed the menu on with Escape: it stays closed until another one. */
  const [dismissed, setDismissed] = useState<number | null>(null);

  const options = useMemo(() => (at ? materials.filter((material) => mentionMatches(at.query, material)) : []), [at, materials]);
  const live = at !== null && dismissed !== at.start;
  const listOpen = live && options.length > 0;
  // With nothing attached, say how to get something to mention while what follows the `@` could still be one.
  const hintOpen =
    live &&
    materials.length === 0 &&
    REFERENCE_KINDS.some((kind) => mentionMatches(at.query.replace(/\d+$/, ""), { kind, n: 1, label: t("label", { kind, n: 1 }) }));
  const current = Math.min(active, Math.max(0, options.length - 1));

  const sync = useEffectEvent(() => {
    if (!textarea) return;
    const { selectionStart, selectionEnd, value } = textarea;
    const next = selectionStart === selectionEnd ? mentionQuery(value, selectionStart) : null;
    if (same(at, next)) return;
    setAt(next);
    setActive(0);
    if (!next || next.start !== dismissed) setDismissed(null);
  });

  const choose = (material: MentionMaterial | undefined) => {
    if (!textarea || !material) return;
    // Read again: the host may have changed the value since the last input event (flags lifted out).
    const query = mentionQuery(textarea.value, textarea.selectionStart);
    setAt(null);
    if (!query) return;
    const next = insertMention(textarea.value, query, material.kind, material.n);
    onInsert(next.text, next.caret);
  };

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.isComposing || event.keyCode === 229 || event.altKey || event.ctrlKey || event.metaKey || !at) return;
    if (event.key === "Escape" && (listOpen || hintOpen)) {
      event.preventDefault();
      setDismissed(at.start);
      return;
    }
    if (!listOpen) return;
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      setActive((current + step + options.length) % options.length);
    } else if ((event.key === "Enter" && !event.shiftKey) || (event.key === "Tab" && !event.shiftKey)) {
      event.preventDefault();
      choose(options[current]);
    }
  });

  useEffect(() => {
    if (!textarea) return;
    const update = () => sync();
    const onSelection = () => {
      if (document.activeElement === textarea) sync();
    };
    const onBlur = () => setAt(null);
    const keyDown = (event: KeyboardEvent) => onKeyDown(event);
    textarea.addEventListener("input", update);
    textarea.addEventListener("click", update);
    textarea.addEventListener("focus", update);
    textarea.addEventListener("blur", onBlur);
    textarea.addEventListener("keydown", keyDown);
    document.addEventListener("selectionchange", onSelection);
    return () => {
      textarea.removeEventListener("input", update);
      textarea.removeEventListener("click", update);
      textarea.removeEventListener("focus", update);
      textarea.removeEventListener("blur", onBlur);
      textarea.removeEventListener("keydown", keyDown);
      document.removeEventListener("selectionchange", onSelection);
    };
  }, [textarea]);

  // The textarea keeps focus and names the option the keys are on.
  const activeId = listOpen ? optionId(current) : null;
  useEffect(() => {
    if (!textarea) return;
    textarea.setAttribute("aria-autocomplete", "list");
    if (activeId) {
      textarea.setAttribute("aria-controls", listId);
      textarea.setAttribute("aria-activedescendant", activeId);
      document.getElementById(activeId)?.scrollIntoView({ block: "nearest" });
    } else {
      textarea.removeAttribute("aria-controls");
      textarea.removeAttribute("aria-activedescendant");
    }
  }, [textarea, activeId, listId]);
  useEffect(() => {
    if (!textarea) return;
    return () => {
      for (const name of ["aria-autocomplete", "aria-controls", "aria-activedescendant"]) textarea.removeAttribute(name);
    };
  }, [textarea]);

  return (
    <div className="relative h-0">
      {listOpen && (
        <ul
          id={listId}
          role="listbox"
          aria-label={t("menu")}
          // Keeps focus (and the caret) in the textarea, on an option or the scroll bar; a click then chooses.
          onMouseDown={(event) => event.preventDefault()}
          className="absolute inset-x-0 top-1 z-20 max-h-56 overflow-y-auto rounded-xl border border-line bg-surface p-1 text-xs text-ink shadow-lg"
        >
          {options.map((material, index) => (
            <li
              key={`${material.kind}-${material.n}`}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              onMouseMove={() => index !== current && setActive(index)}
              onClick={() => choose(material)}
              className={`flex cursor-pointer items-center gap-2 rounded-lg px-2 py-1.5 ${index === current ? "bg-surface-2" : ""}`}
            >
              <Thumb material={material} />
              <span className="font-medium">{material.label}</span>
              <span className="ml-auto text-muted">{mentionText(material.kind, material.n)}</span>
            </li>
          ))}
        </ul>
      )}
      {/* Mounted throughout so the line is announced when it appears. */}
      <p
        aria-live="polite"
        className={hintOpen ? "absolute inset-x-0 top-1 z-20 rounded-xl border border-line bg-surface px-3 py-2 text-xs text-muted shadow-lg" : "sr-only"}
      >
        {hintOpen ? t("noMaterials") : ""}
      </p>
    </div>
  );
}

function Thumb({ material, className = "h-6 w-6 rounded" }: { material: Pick<MentionMaterial, "kind" | "thumb">; className?: string }) {
  if (material.thumb) {
    // eslint-disable-next-line @next/next/no-img-element -- object, data: and our own media URLs
    return <img src={material.thumb} alt="" className={`${className} shrink-0 object-cover`} />;
  }
  return (
    <span aria-hidden className={`${className} inline-flex shrink-0 items-center justify-center bg-surface-2 text-muted`}>
      <KindGlyph kind={material.kind} />
    </span>
  );
}

/** A small drawing of the kind, for a material without a thumb (audio, a linked file). */
function KindGlyph({ kind }: { kind: ReferenceKind }) {
  const path = {
    image: "M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4",
    video: "M3 6h12v12H3zM15 10l6-3v10l-6-3",
    audio: "M9 18V6l10-2v12M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0zM19 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0z",
  }[kind];
  return (
    <svg viewBox="0 0 24 24" width="0.9em" height="0.9em" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={path} />
    </svg>
  );
}

/**
 * Which attached materials the prompt mentions, as chips in the order first mentioned; a mention
 * of something not attached ("video 2" with one video) is drawn as an error, its reason below.
 */
export function MentionedMaterials({ prompt, materials }: { prompt: string; materials: readonly MentionMaterial[] }) {
  const t = useTranslations("mentions");
  const errorText = useErrorText();
  // Each material once, where it is first mentioned.
  const mentioned = useMemo(() => {
    const byKey = new Map<string, { kind: ReferenceKind; n: number }>();
    for (const { kind, n } of mentionsIn(prompt)) if (!byKey.has(`${kind} ${n}`)) byKey.set(`${kind} ${n}`, { kind, n });
    return [...byKey.values()];
  }, [prompt]);
  if (mentioned.length === 0) return null;
  const chips = mentioned.map(({ kind, n }) => ({ kind, n, material: materials.find((m) => m.kind === kind && m.n === n) }));
  const problems = chips.filter((chip) => !chip.material);
  return (
    <div className="flex flex-col gap-1">
      <ul className="flex flex-wrap gap-1.5" aria-label={t("mentioned")}>
        {chips.map(({ kind, n, material }) => (
          <li
            key={`${kind}-${n}`}
            className={`flex items-center gap-1 rounded-full py-0.5 pr-2.5 text-xs ${material?.thumb ? "pl-0.5" : "pl-2.5"} ${
              material ? "bg-accent/15" : "bg-red-500/15 text-red-700 ring-1 ring-red-500/60 dark:text-red-300"
            }`}
          >
            {material?.thumb && <Thumb material={material} className="h-4 w-4 rounded-full" />}
            {material?.label ?? t("label", { kind, n })}
            {!material && <span className="sr-only">({t("unattached")})</span>}
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {problems.map(({ kind, n }) => (
          <p key={`${kind}-${n}`} className="text-xs text-red-600 dark:text-red-400">
            {errorText(unattached(kind, n))}
          </p>
        ))}
      </div>
    </div>
  );
}
