"use client";

import { useState, type ClipboardEvent, type DragEvent, type ReactNode, type Ref } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { useTranslations } from "next-intl";
import { LIMITS } from "@/lib/seedance/models";
import { FieldError } from "./parts";

interface PromptBoxProps {
  field: UseFormRegisterReturn<"prompt">;
  textareaRef: Ref<HTMLTextAreaElement>;
  length: number;
  /** What to write, when the preset knows (an edit: "replace the sky with..."). */
  placeholder?: string;
  error?: string;
  /** Files dropped or pasted anywhere on the box: references, or frames on a model without them. */
  onFiles: (files: File[]) => void;
  onSubmitShortcut: () => void;
  /** Inside the box, under the text: the attachments. */
  attachments?: ReactNode;
  /** Under the box: chips of lifted flags, mentions. */
  below?: ReactNode;
  children?: ReactNode;
}

/** The prompt, the centre of the composer: a large box that takes the text and the materials. */
export function PromptBox({ field, textareaRef, length, placeholder, error, onFiles, onSubmitShortcut, attachments, below, children }: PromptBoxProps) {
  const t = useTranslations("form");
  const [dragging, setDragging] = useState(false);

  const onDrop = (event: DragEvent) => {
    const files = Array.from(event.dataTransfer.files);
    setDragging(false);
    if (files.length === 0) return;
    event.preventDefault();
    onFiles(files);
  };
  const onPaste = (event: ClipboardEvent) => {
    const files = Array.from(event.clipboardData.items)
      .filter((item) => item.kind === "file")
      .map((item) => item.getAsFile())
      .filter((file): file is File => file !== null);
    if (files.length === 0) return;
    event.preventDefault();
    onFiles(files);
  };

  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex items-baseline justify-between">
        <label htmlFor="prompt" className="text-sm font-medium">
          {t("prompt")}
        </label>
        <span className={`text-xs tabular-nums ${length > LIMITS.promptMaxChars ? "text-red-600" : "text-muted"}`} aria-live="polite">
          {length} / {LIMITS.promptMaxChars}
        </span>
      </div>
      <div
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes("Files")) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        onPaste={onPaste}
        className={`relative flex flex-col gap-2 rounded-2xl border bg-surface p-2 transition focus-within:border-accent ${
          dragging ? "border-accent bg-accent/5" : error ? "border-red-500" : "border-line"
        }`}
      >
        <textarea
          id="prompt"
          rows={5}
          placeholder={placeholder ?? t("promptPlaceholder")}
          className="min-h-32 w-full resize-y max-lg:group-data-[sheet=peek]/sheet:h-16 max-lg:group-data-[sheet=peek]/sheet:min-h-0 bg-transparent px-1.5 py-1 text-[15px] leading-relaxed outline-none"
          aria-invalid={Boolean(error)}
          aria-describedby={["prompt-hint", error ? "prompt-error" : ""].join(" ").trim()}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              onSubmitShortcut();
            }
          }}
          {...field}
          ref={textareaRef}
        />
        {attachments}
        {dragging && (
          <span className="pointer-events-none absolute inset-0 flex items-center justify-center rounded-2xl bg-surface/80 text-sm font-medium text-accent">{t("dropHere")}</span>
        )}
        {children}
      </div>
      <p id="prompt-hint" className="text-xs text-muted max-lg:group-data-[sheet=peek]/sheet:sr-only">
        {t("promptHint")}
      </p>
      {below}
      <FieldError id="prompt-error" message={error} />
    </div>
  );
}
