import createNextIntlPlugin from "next-intl/plugin";

// Translations (English, Korean): the request config picks the locale from a cookie or the browser.
// Messages are compiled at build time, so the browser formats them without shipping the ICU
// parser (about 12 KB gzip of first-load JavaScript).
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./lib/i18n/request.ts",
  experimental: { messages: { path: "./lib/i18n/messages", format: "json", locales: "infer", precompile: true } },
});

// The studio form sends both frames in one server action, each at most 3 MB once the browser has
// prepared it (TARGET_MAX_BYTES, lib/images/prepare.ts), so 4 MB as base64; Next's default is 1 MB.
// tests/unit/body-limits.test.ts keeps the two in step.
const FORM_ACTION_BODY_LIMIT = 10 * 1024 * 1024;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // ffmpeg/ffprobe installers locate their binaries with a dynamic require that bundlers cannot follow.
  serverExternalPackages: ["@ffmpeg-installer/ffmpeg", "@ffprobe-installer/ffprobe", "@electric-sql/pglite", "pg", "pino"],
  poweredByHeader: false,
  // Parallel builds (a second checkout's tests, benchmarks) can use their own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
  experimental: { serverActions: { bodySizeLimit: FORM_ACTION_BODY_LIMIT } },
  // Pages, APIs and media get their security headers (with the CSP nonce) from proxy.ts; the
  // static chunks it skips get the nonce-free ones here.
  async headers() {
    return [
      {
        source: "/_next/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
