"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { Button } from "@/components/ui/button";
import { signInAction, type SignInState } from "../actions";

export function SignInForm({ next }: { next: string }) {
  const t = useTranslations("auth");
  const errorText = useErrorText();
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="flex flex-col gap-3">
      <input type="hidden" name="next" value={next} />
      <label htmlFor="password" className="text-sm font-medium">
        {t("password")}
      </label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        aria-invalid={state.error ? true : undefined}
        aria-describedby={state.error ? "sign-in-error" : undefined}
        className="rounded-lg border border-line bg-surface px-3 py-2"
      />
      {state.error ? (
        <p id="sign-in-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
          {errorText(state.error)}
        </p>
      ) : null}
      <Button type="submit" variant="primary" size="lg" disabled={pending}>
        {pending ? t("signingIn") : t("signIn")}
      </Button>
    </form>
  );
}
