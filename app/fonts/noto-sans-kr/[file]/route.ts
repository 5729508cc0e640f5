import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { NOTO_SANS_KR_CSS } from "@/lib/i18n/korean-font";

// Noto Sans KR for the Korean interface, served outside the bundle: bundled, its @font-face
// rules (~50 KB gzip) would block every page's first paint, English ones included. The layout
// links the stylesheet only for the Korean locale; browsers then fetch only the subsets
// (unicode-range) that the page's text needs.
const FILES = path.join(process.cwd(), "node_modules/@fontsource/noto-sans-kr");
const WEIGHTS = ["400", "600"];
const FONT_FILE = /^noto-sans-kr-\d{1,3}-(?:400|600)-normal\.woff2$/;
const IMMUTABLE = "public, max-age=31536000, immutable";

let stylesheet: string | undefined;

function buildStylesheet(): string {
  return WEIGHTS.map((weight) => fs.readFileSync(path.join(FILES, `${weight}.css`), "utf8"))
    .join("\n")
    .replace(/url\(\.\/files\/([\w-]+)\.woff2\) format\('woff2'\), url\(\.\/files\/[\w-]+\.woff\) format\('woff'\)/g, "url(/fonts/noto-sans-kr/$1.woff2) format('woff2')");
}

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  if (file === NOTO_SANS_KR_CSS) {
    stylesheet ??= buildStylesheet();
    return new Response(stylesheet, { headers: { "content-type": "text/css; charset=utf-8", "cache-control": IMMUTABLE } });
  }
  if (!FONT_FILE.test(file)) return new Response("Not found", { status: 404 });
  const target = path.join(FILES, "files", file);
  const stat = await fs.promises.stat(target).catch(() => null);
  if (!stat) return new Response("Not found", { status: 404 });
  return new Response(Readable.toWeb(fs.createReadStream(target)) as ReadableStream, {
    headers: { "content-type": "font/woff2", "content-length": String(stat.size), "cache-control": IMMUTABLE },
  });
}
