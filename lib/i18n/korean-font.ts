import fontsource from "@fontsource/noto-sans-kr/package.json";

/**
 * Every weight the interface sets (400 text, font-medium 500 labels, font-semibold 600 headings):
 * a weight not served is drawn from the nearest one, and a synthesised bold smears Hangul.
 */
export const NOTO_SANS_KR_WEIGHTS = ["400", "500", "600"] as const;

/**
 * The Korean font's stylesheet (app/fonts/noto-sans-kr): its name carries the package version and
 * the weights, so it can be cached for good and a change of either is a new file.
 */
export const NOTO_SANS_KR_CSS = `noto-sans-kr-${fontsource.version}-hangul-${NOTO_SANS_KR_WEIGHTS.join("-")}.css`;
export const NOTO_SANS_KR_HREF = `/fonts/noto-sans-kr/${NOTO_SANS_KR_CSS}`;

/**
 * The code points the font is used for: Hangul (jamo, compatibility jamo, syllables), CJK
 * punctuation, enclosed and fullwidth forms, Hanja. Everything else (Latin, digits, the
 * punctuation some of the slices also carry) stays with the system font.
 */
export const HANGUL_AND_CJK: readonly [number, number][] = [
  [0x1100, 0x11ff],
  [0x2e80, 0x2fdf],
  [0x3000, 0x303f],
  [0x3130, 0x318f],
  [0x3200, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa960, 0xa97f],
  [0xac00, 0xd7ff],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xffef],
];

const u = (n: number) => `\\u${n.toString(16).padStart(4, "0")}`;
const DRAWN_BY_THE_FONT = new RegExp(`[${HANGUL_AND_CJK.map(([lo, hi]) => `${u(lo)}-${u(hi)}`).join("")}]`);

/** Whether the text has a character this font draws (so a page showing it needs the stylesheet up front). */
export function needsKoreanFont(text: string): boolean {
  return DRAWN_BY_THE_FONT.test(text);
}
