/**
 * The code points Noto Sans KR (lib/i18n/korean-font.ts) is used for: Hangul (jamo, compatibility
 * jamo, syllables), CJK punctuation, enclosed and fullwidth forms, Hanja. Everything else (Latin,
 * digits, the punctuation some of the slices also carry) stays with the system font.
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

/** Whether the text has a character the Korean font draws (so a page showing it needs its stylesheet). */
export function needsKoreanFont(text: string): boolean {
  return DRAWN_BY_THE_FONT.test(text);
}
