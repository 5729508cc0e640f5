import localFont from "next/font/local";

/**
 * Geist Mono as the `geist` package defines it, but not preloaded: its 70 KB file would compete
 * with the studio's scripts on every first load, while mono text only appears in dialogs opened
 * later (clip details, share links).
 */
export const geistMono = localFont({
  src: "../../node_modules/geist/dist/fonts/geist-mono/GeistMono-Variable.woff2",
  variable: "--font-geist-mono",
  preload: false,
  adjustFontFallback: false,
  fallback: ["ui-monospace", "SFMono-Regular", "Roboto Mono", "Menlo", "Monaco", "Liberation Mono", "DejaVu Sans Mono", "Courier New", "monospace"],
  weight: "100 900",
});
