import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { NOTO_SANS_KR_CSS, NOTO_SANS_KR_WEIGHTS } from "@/lib/i18n/korean-font";
import { HANGUL_AND_CJK } from "@/lib/i18n/hangul";

// Noto Sans KR, for Hangul wherever it shows (the Korean interface, and Korean prompts in the
// English one), served outside the bundle: bundled, its @font-face rules would sit in the main
// stylesheet of every page. Browsers fetch only the subsets (unicode-range) a page's text needs.
const FILES = path.join(process.cwd(), "node_modules/@fontsource/noto-sans-kr");
const FONT_FILE = new RegExp(`^noto-sans-kr-\\d{1,3}-(?:${NOTO_SANS_KR_WEIGHTS.join("|")})-normal\\.woff2$`);
const IMMUTABLE = "public, max-age=31536000, immutable";
const FACE = /\/\* noto-sans-kr-\[?([\w-]+?)\]?-\d{3}-normal \*\/\s*(@font-face \{[^}]*\})/g;

const hex = (n: number) => n.toString(16);

/** `U+20-22,U+ac00,...` cut down to HANGUL_AND_CJK; empty when nothing of it is left. */
function hangulPart(unicodeRange: string): string {
  const kept: string[] = [];
  for (const part of unicodeRange.split(",")) {
    const [from, to = from] = part.trim().slice(2).split("-").map((h) => parseInt(h, 16)) as [number, number?];
    for (const [lo, hi] of HANGUL_AND_CJK) {
      const a = Math.max(from, lo);
      const b = Math.min(to!, hi);
      if (a <= b) kept.push(a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`);
    }
  }
  return kept.join(",");
}

let stylesheet: string | undefined;

/**
 * One rule per slice and weight, each slice's weights side by side: every rule repeats its slice's
 * long unicode-range, and gzip only finds a repeat within 32 KB, so in this order three weights
 * cost about what one does (26 KB gzip instead of 73 KB as three files one after another).
 *
 * The ranges keep only Hangul and CJK (HANGUL_AND_CJK), so the family can come first in the font
 * stack (app/globals.css) without taking Latin text from the system font. First it must be:
 * Chromium lays some runs out in a later family of the stack before that family's slice arrives,
 * and keeps the missing-glyph boxes after it has (seen on the labels of the Korean form).
 * `font-display: block`: a label waits (up to 3 s) for its Hangul instead of showing boxes first.
 */
function buildStylesheet(): string {
  const bySlice = new Map<string, string[]>();
  for (const weight of NOTO_SANS_KR_WEIGHTS) {
    const css = fs.readFileSync(path.join(FILES, `${weight}.css`), "utf8");
    for (const [, slice, rule] of css.matchAll(FACE)) {
      const range = hangulPart(/unicode-range: ([^;]+);/.exec(rule!)?.[1] ?? "");
      if (!range) continue;
      const face = rule!
        .replace("font-display: swap;", "font-display: block;")
        .replace(/unicode-range: [^;]+;/, `unicode-range: ${range};`)
        .replace(/url\(\.\/files\/([\w-]+)\.woff2\) format\('woff2'\), url\(\.\/files\/[\w-]+\.woff\) format\('woff'\)/, "url(/fonts/noto-sans-kr/$1.woff2) format('woff2')");
      bySlice.set(slice!, [...(bySlice.get(slice!) ?? []), face]);
    }
  }
  return [...bySlice.values()].flat().join("\n");
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
