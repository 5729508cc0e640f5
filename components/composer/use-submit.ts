"use client";

import { useRef, useState, useTransition } from "react";
import type { UseFormReturn } from "react-hook-form";
import { useTranslations } from "next-intl";
import { createGenerationAction } from "@/app/(studio)/actions";
import type { Generation } from "@/lib/dto/generation";
import { estimateGenerationSeconds } from "@/lib/seedance/models";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { textOfCoded } from "@/lib/errors/issue-text";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { randomSeed } from "./advanced";
import type { FormValues } from "./form-values";
import { useCountdown } from "./parts";
import { sendBatch, type BatchProgress } from "./send-batch";

interface SubmitOptions {
  form: UseFormReturn<FormValues>;
  variations: number;
  parentId: string | undefined;
  onCreated: (generation: Generation) => void;
  /** After every clip of the press was accepted: the values sent, for the draft to forget. */
  onSent: (values: FormValues) => void;
}

/**
 * Generate: one clip, or a batch of variations with consecutive (or random) seeds, sent one by
 * one so a rate limit stops the batch with a countdown instead of failing it. Each create carries
 * its own idempotency key: a retried press never pays twice.
 */
export function useSubmit({ form, variations, parentId, onCreated, onSent }: SubmitOptions) {
  const t = useTranslations("form");
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const secondsLeft = useCountdown(progress?.state === "waiting" ? progress.until : undefined);
  const [pending, startTransition] = useTransition();
  const submitting = useRef(false);

  async function submit(spec: GenerationSpec) {
    if (submitting.current) return;
    submitting.current = true;
    setFormError(null);
    setStatus(variations > 1 ? t("sendingMany", { count: variations }) : t("sendingOne"));
    const seeds =
      variations > 1
        ? Array.from({ length: variations }, (_, i) => (spec.seed !== undefined && spec.seed >= 0 ? (spec.seed + i) % 4_294_967_296 : randomSeed()))
        : [spec.seed];
    try {
      const outcome = await sendBatch({
        specs: seeds.map((seed) => ({ ...spec, seed })),
        create: (one) => createGenerationAction({ spec: one, idempotencyKey: crypto.randomUUID(), parentId }),
        onCreated,
        onProgress: setProgress,
      });
      setProgress(null);
      if (!outcome.ok) {
        const result = outcome.failure;
        if (result.fieldErrors) {
          for (const [field, messages] of Object.entries(result.fieldErrors)) {
            if (messages[0]) form.setError(field as keyof FormValues, { type: "server", message: textOfCoded(messages[0]) });
          }
        }
        const message =
          result.kind === "rate_limited" && result.retryAfterSec
            ? t("retryIn", { message: errorText(result) ?? result.message, seconds: result.retryAfterSec })
            : (errorText(result) ?? result.message);
        setFormError(outcome.started > 0 ? `${t("batchStopped", { started: outcome.started, total: seeds.length })} ${message}` : message);
        setStatus("");
        return;
      }
      onSent(form.getValues());
      setStatus(t("queuedVisible", { count: seeds.length, seconds: estimateGenerationSeconds({ ...spec, model: spec.model }) }));
    } catch {
      setFormError(t("offline"));
      setStatus("");
      setProgress(null);
    } finally {
      submitting.current = false;
    }
  }

  const onSubmit = (event?: React.BaseSyntheticEvent) =>
    form.handleSubmit(
      (spec) => startTransition(() => submit(spec as unknown as GenerationSpec)),
      revealFocusedMessage,
    )(event);

  const progressText =
    progress?.state === "waiting"
      ? t("batchWaiting", { started: progress.started, total: progress.total, left: progress.total - progress.started, seconds: secondsLeft })
      : progress && progress.total > 1 && progress.started > 0
        ? t("batchSending", { started: progress.started, total: progress.total })
        : status;

  return { onSubmit, pending, formError, progressText, waiting: progress?.state === "waiting" };
}

/**
 * The form focuses its first invalid field (which clears the sticky bar by its scroll margin),
 * but the field's message renders a moment later, under it: it is brought into view as well.
 */
function revealFocusedMessage() {
  setTimeout(() =>
    requestAnimationFrame(() => {
      const ids = document.activeElement?.getAttribute("aria-describedby")?.split(" ") ?? [];
      const message = ids.filter((id) => id.endsWith("-error")).map((id) => document.getElementById(id)).find(Boolean);
      message?.scrollIntoView({ block: "nearest" });
    }),
  );
}
