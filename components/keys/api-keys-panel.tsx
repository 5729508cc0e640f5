"use client";

import { useActionState, useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { createApiKeyAction, revokeApiKeyAction, type CreateApiKeyState } from "@/app/(auth)/api-key-actions";
import { API_KEY_NAME_MAX, MAX_API_KEYS, type ApiKeySummary } from "@/lib/dto/api-key";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { Button } from "@/components/ui/button";

/** Makes personal API keys (each shown once), lists them by name, and revokes them. */
export function ApiKeysPanel({ initialKeys }: { initialKeys: ApiKeySummary[] }) {
  const t = useTranslations("keys");
  const format = useFormatter();
  const errorText = useErrorText();
  const [keys, setKeys] = useState(initialKeys);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, startRevoke] = useTransition();
  const [nameWasBlank, setNameWasBlank] = useState(false);
  const [created, create, creating] = useActionState<CreateApiKeyState, FormData>(async (previous, form) => {
    setCopied(false);
    setError(null);
    setNameWasBlank(String(form.get("name") ?? "").trim() === "");
    const result = await createApiKeyAction(previous, form);
    if (result.ok) setKeys((list) => [result.data.key, ...list.filter((k) => k.id !== result.data.key.id)]);
    return result;
  }, {});

  const nameError = created.ok === false && created.fieldErrors?.name ? true : false;
  const otherError =
    created.ok === false && !nameError ? (created.kind === "conflict" ? t("tooMany", { max: MAX_API_KEYS }) : created.kind === "unauthorized" ? errorText(created) : t("failed")) : null;

  const revoke = (key: ApiKeySummary) =>
    startRevoke(async () => {
      setError(null);
      const form = new FormData();
      form.set("id", key.id);
      const result = await revokeApiKeyAction(form);
      if (result.ok || result.kind === "not_found") setKeys((list) => list.filter((k) => k.id !== key.id));
      else setError(result.kind === "unauthorized" ? (errorText(result) ?? t("failed")) : t("failed"));
    });

  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });

  return (
    <div className="flex flex-col gap-6">
      <form action={create} className="flex flex-col gap-2">
        <label htmlFor="api-key-name" className="text-sm font-medium">
          {t("name")}
        </label>
        <div className="flex gap-2">
          <input
            id="api-key-name"
            name="name"
            required
            maxLength={API_KEY_NAME_MAX}
            autoComplete="off"
            placeholder={t("namePlaceholder")}
            aria-invalid={nameError || undefined}
            aria-describedby={nameError ? "api-key-name-error" : undefined}
            className="min-w-0 flex-1 rounded-lg border border-line bg-surface px-3 py-2"
          />
          <Button type="submit" variant="primary" size="lg" disabled={creating}>
            {creating ? t("creating") : t("create")}
          </Button>
        </div>
        {nameError ? (
          <p id="api-key-name-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
            {nameWasBlank ? t("nameRequired") : t("nameTooLong", { max: API_KEY_NAME_MAX })}
          </p>
        ) : null}
        {otherError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {otherError}
          </p>
        ) : null}
      </form>

      {created.ok ? (
        // The one time the key is visible: it is held only in this component's state.
        <div role="status" className="flex flex-col gap-2 rounded-xl border border-accent bg-surface-2 p-3 text-sm">
          <label htmlFor="new-api-key" className="font-medium">
            {t("newKey", { name: created.data.key.name })}
          </label>
          <div className="flex gap-2">
            <input
              id="new-api-key"
              readOnly
              value={created.data.secret}
              onFocus={(e) => e.target.select()}
              className="min-w-0 flex-1 rounded-lg border border-line bg-surface px-2 py-1 font-mono text-xs"
            />
            <Button onClick={() => void navigator.clipboard?.writeText(created.data.secret).then(() => setCopied(true), () => undefined)}>
              {copied ? t("copied") : t("copy")}
            </Button>
          </div>
          <p className="text-muted">{t("shownOnce")}</p>
        </div>
      ) : null}

      <section aria-labelledby="api-keys-list" className="flex flex-col gap-2">
        <h2 id="api-keys-list" className="text-base font-semibold">
          {t("listTitle")}
        </h2>
        {keys.length === 0 ? <p className="text-sm text-muted">{t("empty")}</p> : null}
        <ul className="flex flex-col divide-y divide-line rounded-xl border border-line">
          {keys.map((key) => (
            <li key={key.id} className="flex items-center gap-3 px-3 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">{key.name}</p>
                <p className="text-xs text-muted">
                  <span className="font-mono">{key.hint}</span> · {t("createdOn", { date: date(key.createdAt) })} ·{" "}
                  {key.lastUsedAt ? t("lastUsed", { date: date(key.lastUsedAt) }) : t("neverUsed")}
                </p>
              </div>
              <Button variant="dangerText" disabled={revoking} onClick={() => revoke(key)} aria-label={t("revokeNamed", { name: key.name })}>
                {t("revoke")}
              </Button>
            </li>
          ))}
        </ul>
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </section>
    </div>
  );
}
