"use client";

import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { createShareAction, revokeShareAction } from "@/app/(studio)/actions";
import { Button, buttonClass } from "@/components/ui/button";
import { controlClass } from "@/components/ui/controls";

/** Makes a public link for one clip or a collection, with copy and revoke. */
export function SharePanel({ generationIds, onClose }: { generationIds: string[]; onClose: () => void }) {
  const t = useTranslations("share");
  const [hidePrompt, setHidePrompt] = useState(false);
  const [link, setLink] = useState<{ id: string; url: string } | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, startTransition] = useTransition();

  const create = () =>
    startTransition(async () => {
      setError(null);
      const result = await createShareAction({ generationIds, hidePrompt });
      if (result.ok) setLink({ id: result.data.id, url: `${window.location.origin}${result.data.path}` });
      else setError(result.message);
    });
  const revoke = () =>
    startTransition(async () => {
      if (!link) return;
      const result = await revokeShareAction({ id: link.id });
      if (result.ok) setRevoked(true);
      else setError(result.message);
    });

  return (
    <div role="group" aria-label={t("group")} className="flex flex-col gap-2 rounded-xl border border-line bg-surface-2 p-3 text-xs">
      {!link ? (
        <>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={hidePrompt} onChange={(e) => setHidePrompt(e.target.checked)} />
            {t("hidePrompt")}
          </label>
          <div className="flex gap-1.5">
            <Button variant="primary" disabled={pending} onClick={create}>
              {t("create")}
            </Button>
            <Button onClick={onClose}>{t("cancel")}</Button>
          </div>
          <p className="text-muted">{t("anyone", { count: generationIds.length })}</p>
        </>
      ) : revoked ? (
        <p role="status">{t("revoked")}</p>
      ) : (
        <>
          <label htmlFor={`share-${link.id}`} className="font-medium">
            {t("link")}
          </label>
          <input id={`share-${link.id}`} readOnly value={link.url} onFocus={(e) => e.target.select()} className={controlClass("sm", "font-mono")} />
          <div className="flex gap-1.5">
            <Button onClick={() => void navigator.clipboard?.writeText(link.url).then(() => setCopied(true))}>{copied ? t("copied") : t("copy")}</Button>
            <a href={link.url} target="_blank" rel="noreferrer" className={buttonClass()}>
              {t("open")}
            </a>
            <Button variant="dangerText" disabled={pending} onClick={revoke}>
              {t("revoke")}
            </Button>
          </div>
        </>
      )}
      {error && (
        <p role="alert" className="text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
