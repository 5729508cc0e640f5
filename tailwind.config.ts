import type { Config } from "tailwindcss";

// Tailwind 4 reads its theme from CSS (app/globals.css, via @config); this file keeps the
// content globs and design tokens in one typed place.
const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  darkMode: "media",
  theme: {
    extend: {
      fontFamily: {
        sans: ["var(--font-geist-sans)", "Noto Sans KR", "system-ui", "sans-serif"],
        mono: ["var(--font-geist-mono)", "ui-monospace", "monospace"],
      },
      colors: {
        accent: { DEFAULT: "#6d5dfc", strong: "#5646f0" },
      },
    },
  },
};

export default config;
