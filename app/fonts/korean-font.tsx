import { NOTO_SANS_KR_HREF } from "@/lib/i18n/korean-font";
import { DeferredKoreanFont } from "./deferred-korean-font";

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
 * For a page whose first paint has no Hangul: the same stylesheet, loaded once the page is idle,
 * ready for the Hangul that comes later (a Korean prompt typed or pasted, a clip arriving live).
 * On the English studio this took the first load's Lighthouse score from 93 (runs 92–94) to 95
 * (94–97), first paint about 300 ms sooner (bench first-load, docs/performance-history.md).
 */
export function LaterKoreanFont() {
  return <DeferredKoreanFont href={NOTO_SANS_KR_HREF} />;
}
