import fontsource from "@fontsource/noto-sans-kr/package.json";

/** The Korean font's stylesheet (app/fonts/noto-sans-kr): its name carries the package version, so it can be cached for good. */
export const NOTO_SANS_KR_CSS = `noto-sans-kr-${fontsource.version}.css`;
export const NOTO_SANS_KR_HREF = `/fonts/noto-sans-kr/${NOTO_SANS_KR_CSS}`;
