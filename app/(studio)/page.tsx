import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { Studio } from "@/components/studio/studio";
import { signOutAction, signOutEverywhereAction } from "@/app/(auth)/actions";
import { authEnabled, requirePageSession } from "@/lib/http/gate";
import { appContext } from "@/lib/app/context";
import { latestEventId } from "@/lib/db/generation-events";
import { listPage, usageSummary } from "@/lib/generations/read";
import { listStoryboards } from "@/lib/storyboards/service";
import { env } from "@/lib/env";
import { preformatNumbers } from "@/lib/i18n/numbers";
import { estimateCost } from "@/lib/seedance/pricing";
import { DEFAULT_VALUES } from "@/components/composer/form-values";
import { KoreanFontStylesheet } from "@/app/fonts/korean-font";
import { needsKoreanFont } from "@/lib/i18n/hangul";
import { COMPOSER_END_ID } from "@/components/studio/first-paint";

export default async function StudioPage() {
  await connection();
  await requirePageSession("/");
  const ctx = await appContext();
  // The event cursor is read before the page of clips: the live stream replays everything after
  // it, so a change between this render and the browser's connection is never lost.
  const eventCursor = await latestEventId({ db: ctx.db });
  const [firstPage, usage, storyboards] = await Promise.all([listPage(ctx, { limit: "24" }), usageSummary(ctx), listStoryboards(ctx)]);
  // The clips' clocks start from it (lib/client/render-time.tsx).
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request, after `connection()`
  const renderedAt = Date.now();
  const prices = env().prices;
  const tAuth = await getTranslations("auth");
  const estimate = estimateCost(DEFAULT_VALUES, prices);
  // What the first render shows: the header's totals, the new clip's estimate, each card's and
  // each film's figures.
  const numbers = preformatNumbers(await getLocale(), [
    [usage.today.tokens, "compact"],
    [usage.month.tokens, "compact"],
    [estimate.billedTokens, "compact"],
    [estimate.usd, "usd"],
    ...firstPage.items.flatMap((g) => [[g.duration, "tenths"], [g.usage?.totalTokens, "compact"]] as const),
    ...storyboards.map((b) => [b.export.film?.durationSec, "seconds"] as const),
  ]);
  return (
    <>
      {/* The first paint waits for the whole composer (components/studio/first-paint.ts); React puts this in the head. */}
      <link rel="expect" href={`#${COMPOSER_END_ID}`} blocking="render" />
      {/* Clips and films with Korean (or other CJK) text: their first paint needs the font. */}
      {needsKoreanFont(JSON.stringify([firstPage, storyboards])) ? <KoreanFontStylesheet /> : null}
      <Studio renderedAt={renderedAt} initialPage={firstPage} eventCursor={eventCursor} simulator={env().useSimulator} usage={usage} prices={prices} numbers={numbers} initialStoryboards={storyboards} />
      {authEnabled() ? (
        // Plain links and forms: none of this adds to the page's JavaScript (the keys live on /keys).
        <div className="mx-auto flex max-w-[1600px] flex-wrap justify-end gap-x-4 gap-y-1 px-3 pb-4 text-sm text-muted sm:px-4">
          <a href="/keys" className="underline">
            {tAuth("apiKeys")}
          </a>
          <form action={signOutEverywhereAction}>
            <button type="submit" className="underline">
              {tAuth("signOutEverywhere")}
            </button>
          </form>
          <form action={signOutAction}>
            <button type="submit" className="underline">
              {tAuth("signOut")}
            </button>
          </form>
        </div>
      ) : null}
    </>
  );
}
