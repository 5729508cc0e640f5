import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { authEnabled, currentClient } from "@/lib/http/gate";
import { safeNextPath } from "@/lib/auth/session";
import { site } from "@/lib/site";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const next = safeNextPath((await searchParams).next);
  if (!authEnabled() || (await currentClient()).session) redirect(next);
  const t = await getTranslations("auth");
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 p-6">
      <h1 className="text-xl font-semibold tracking-tight">
        <span aria-hidden className="mr-1.5 inline-block h-3 w-3 rounded-full bg-accent align-middle" />
        {site.name}
      </h1>
      <p className="text-sm text-muted">{t("private")}</p>
      <SignInForm next={next} />
    </main>
  );
}
