import { NOTO_SANS_KR_HREF } from "@/lib/i18n/korean-font";
import { KoreanFontOnDemand } from "./korean-font-on-demand";

/**
 * Noto Sans KR's stylesheet (app/fonts/noto-sans-kr), before the first paint. 351 @font-face
 * rules: about 26 KB gzip on the critical path, and a segmented family every text run of the
 * page is matched against. A page that shows Hangul needs it up front: Chromium lays a run out in
 * a later family of the stack before the family is known, and keeps the missing-glyph boxes after
 * it is (seen on the labels of the Korean form). React hoists it into the head, once per page
 * however many render it.
 */
export function KoreanFontStylesheet() {
  return <link rel="stylesheet" href={NOTO_SANS_KR_HREF} precedence="default" />;
}

/**
 * For a page whose first paint has no Hangul: the same stylesheet, added when Hangul first shows
 * (a Korean prompt typed or pasted, a clip arriving live). Loading it once the page was idle took
 * the English studio's first load from 93 to 95 in Lighthouse; loading it only on demand also
 * spares the page the style and layout pass its arrival costs (docs/performance-history.md).
 */
export function LaterKoreanFont() {
  return <KoreanFontOnDemand href={NOTO_SANS_KR_HREF} />;
}
