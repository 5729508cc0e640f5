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
