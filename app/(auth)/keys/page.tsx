import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { ApiKeysPanel } from "@/components/keys/api-keys-panel";
import { authEnabled, requirePageSession } from "@/lib/http/gate";
import { listApiKeysAction } from "../api-key-actions";
import { KoreanFontStylesheet } from "@/app/fonts/korean-font";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("keys"))("title") };
}

/**
 * Personal API keys, on a page of their own: the studio's first load carries none of this
 * code (the header links here). Without STUDIO_PASSWORD there is no gate for a key to open.
 */
export default async function ApiKeysPage() {
  await connection();
  if (!authEnabled()) redirect("/");
  await requirePageSession("/keys");
  const [t, listed] = await Promise.all([getTranslations("keys"), listApiKeysAction()]);
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-2xl flex-col gap-5 p-6">
      {/* Key names are the creator's own words, Korean perhaps. */}
      <KoreanFontStylesheet />
      <Link href="/" className="text-sm text-muted underline">
        {t("back")}
      </Link>
      <h1 className="text-xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="text-sm text-muted">{t("intro")}</p>
      <ApiKeysPanel initialKeys={listed.ok ? listed.data : []} />
    </main>
  );
}
