import "server-only";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { FPS } from "@/lib/seedance/models";
import { filterValue, runFfmpeg } from "@/lib/media/ffmpeg";

/**
 * The simulator's renderer: a real H.264 MP4 that looks like a generated clip (seeded
 * animated colour field or the first frame, a slow camera move, a crossfade into the last
 * frame, the prompt and seed as captions), byte-identical for identical inputs.
 *
 * Built for the bundled 2018 static ffmpeg: no xfade, so the first→last transition is the
 * last frame with a fading alpha overlaid on the first (the `blend` filter with a time
 * expression evaluates per pixel and was ~5× slower).
 */

export interface RenderOptions {
  outDir: string;
  width: number;
  height: number;
  /** May be fractional (frames / 24); the clip has round(durationSec × 24) frames. */
  durationSec: number;
  prompt: string;
  seed: number;
  firstFramePath?: string;
  lastFramePath?: string;
  cameraFixed: boolean;
  watermark: boolean;
  audio: boolean;
  lastFramePng: boolean;
  /** Reference images, shown as a picture-in-picture tile that changes to the next one over time. */
  referenceImagePaths?: string[];
  /** Reference videos: the first one's frames blended over the scene (looped to the clip's length). */
  referenceVideoPaths?: string[];
  /** Reference audio: played one after another as the clip's sound track (over any generated sound). */
  referenceAudioPaths?: string[];
  /** 2.5's edit: the clip is this video, visibly transformed (mirrored, hue turned), at its own length. */
  editSourcePath?: string;
  /** `mov` (2.5's output_format): a QuickTime file with the same streams. */
  container?: "mp4" | "mov";
  signal?: AbortSignal;
}

export interface RenderResult {
  videoPath: string;
  lastFramePath?: string;
}

export const VIDEO_FILE = "video.mp4";
export const MOV_FILE = "video.mov";
/** At most this many reference images take a turn in the tile (2.5 takes 30; the clip stays readable). */
const MAX_TILES = 12;
export const LAST_FRAME_FILE = "last-frame.png";

const AUDIO_RATE = 48_000;
/** Fixed (not per machine) so that output bytes do not depend on the core count. */
const X264_THREADS = "2";

// ---------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h * 12) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** Numbers for filter expressions: fixed precision, never exponent notation. */
const num = (n: number, digits = 4) => (Math.abs(n) < 1e-9 ? "0" : n.toFixed(digits));
const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

// ---------------------------------------------------------------------------------------
// Fonts and text

const FONT_DIRS = ["node_modules/geist/dist/fonts"];
const SANS = "geist-sans/Geist-Regular.ttf";
const MONO = "geist-mono/GeistMono-Regular.ttf";

let fontRoot: string | undefined;
function fontFile(relative: string): string {
  if (!fontRoot) {
    const candidates = FONT_DIRS.map((dir) => path.resolve(process.cwd(), dir));
    try {
      // geist's exports map hides package.json; resolve a public entry and walk up to dist/.
      const entry = createRequire(import.meta.url).resolve("geist/font");
      candidates.push(path.join(path.dirname(entry), "fonts"));
    } catch {
      // not resolvable from here (bundled); the cwd candidate remains
    }
    fontRoot = candidates.find((dir) => {
      try {
        readFileSync(path.join(dir, SANS), { flag: "r" }).subarray(0, 4);
        return true;
      } catch {
        return false;
      }
    });
    if (!fontRoot) throw new Error(`Geist fonts not found (looked in ${candidates.join(", ")})`);
  }
  return path.join(fontRoot, relative);
}

/** Unicode code points a TrueType font maps (cmap formats 4 and 12). */
function fontCoverage(file: string): Set<number> {
  const buf = readFileSync(file);
  const covered = new Set<number>();
  const numTables = buf.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    if (buf.toString("latin1", rec, rec + 4) === "cmap") cmap = buf.readUInt32BE(rec + 8);
  }
  if (cmap < 0) return covered;
  const subtables = buf.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const platform = buf.readUInt16BE(cmap + 4 + i * 8);
    const offset = cmap + buf.readUInt32BE(cmap + 4 + i * 8 + 4);
    if (platform !== 0 && platform !== 3) continue;
    const format = buf.readUInt16BE(offset);
    if (format === 4) {
      const segX2 = buf.readUInt16BE(offset + 6);
      const ends = offset + 14;
      const starts = ends + segX2 + 2;
      const deltas = starts + segX2;
      const rangeOffsets = deltas + segX2;
      for (let s = 0; s < segX2; s += 2) {
        const end = buf.readUInt16BE(ends + s);
        const start = buf.readUInt16BE(starts + s);
        const delta = buf.readInt16BE(deltas + s);
        const ro = buf.readUInt16BE(rangeOffsets + s);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let glyph: number;
          if (ro === 0) glyph = (c + delta) & 0xffff;
          else {
            const at = rangeOffsets + s + ro + (c - start) * 2;
            glyph = at + 1 < buf.length ? buf.readUInt16BE(at) : 0;
            if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
          }
          if (glyph !== 0) covered.add(c);
        }
      }
    } else if (format === 12) {
      const groups = buf.readUInt32BE(offset + 12);
      for (let g = 0; g < groups; g++) {
        const at = offset + 16 + g * 12;
        const start = buf.readUInt32BE(at);
        const end = Math.min(buf.readUInt32BE(at + 4), start + 0x10000);
        if (buf.readUInt32BE(at + 8) === 0 && start === end) continue;
        for (let c = start; c <= end; c++) covered.add(c);
      }
    }
  }
  return covered;
}

/**
 * Noto Sans KR (OFL, from @embedpdf/fonts-kr): Hangul, kana, hanja and Latin. A prompt with
 * characters Geist lacks is drawn in it, so a Korean prompt shows as Korean, not "?".
 */
const WIDE_SCRIPT_FONT = "NotoSansKR-Regular.otf";

interface CaptionFont {
  file: string;
  coverage: Set<number>;
}

let sansFont: CaptionFont | undefined;
let wideScriptFont: CaptionFont | null | undefined;

function findWideScriptFont(): CaptionFont | null {
  const candidates = [path.resolve(process.cwd(), "node_modules/@embedpdf/fonts-kr/fonts")];
  try {
    candidates.push(path.join(path.dirname(createRequire(import.meta.url).resolve("@embedpdf/fonts-kr")), "../fonts"));
  } catch {
    // not resolvable from here (bundled); the cwd candidate remains
  }
  for (const dir of candidates) {
    const file = path.join(dir, WIDE_SCRIPT_FONT);
    try {
      return { file, coverage: fontCoverage(file) };
    } catch {
      // try the next
    }
  }
  return null;
}

/** Geist, unless the prompt has characters only the wide-script font can draw. */
function captionFont(prompt: string): CaptionFont {
  sansFont ??= { file: fontFile(SANS), coverage: fontCoverage(fontFile(SANS)) };
  const sans = sansFont;
  const missing = Array.from(prompt.replace(INVISIBLE, ""), (ch) => ch.codePointAt(0)!).filter((c) => c > 0x20 && !sans.coverage.has(c));
  if (missing.length === 0) return sans;
  if (wideScriptFont === undefined) wideScriptFont = findWideScriptFont();
  const wide = wideScriptFont;
  return wide && missing.some((c) => wide.coverage.has(c)) ? wide : sans;
}

const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufe00-\ufe0f\ufeff\u20e3]|\p{Extended_Pictographic}|[\u{1f1e6}-\u{1f1ff}\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/gu;

// Hangul, kana and CJK ideographs (and their full-width forms) take about two Latin cells.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const cellsOf = (ch: string) => (WIDE.test(ch) ? 2 : 1);
const widthOf = (text: string) => Array.from(text).reduce((n, ch) => n + cellsOf(ch), 0);

/** How many of `chars`, from the start, fit in `cells`. */
function fitting(chars: string[], cells: number): number {
  let used = 0;
  let n = 0;
  for (const ch of chars) {
    used += cellsOf(ch);
    if (used > cells) break;
    n++;
  }
  return n;
}

/**
 * The prompt as caption lines: control characters and emoji dropped (the font has no
 * colour glyphs), other characters the font lacks shown as "?", words wrapped to
 * `maxChars` cells (a Hangul or CJK character takes two), at most `maxLines` lines with an
 * ellipsis when cut.
 */
export function captionLines(prompt: string, maxChars: number, maxLines: number, coverage?: Set<number>): string[] {
  let text = prompt.normalize("NFC").replace(/\r\n?/g, "\n").replace(/\t/g, " ").replace(INVISIBLE, "");
  if (coverage) {
    text = Array.from(text, (ch) => (ch === "\n" || ch === " " || coverage.has(ch.codePointAt(0)!) ? ch : "?")).join("");
  }
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    const parts = paragraph.split(/ +/).filter(Boolean);
    if (parts.length === 0) continue;
    let line = "";
    for (let word of parts) {
      while (widthOf(word) > maxChars) {
        const chars = Array.from(word);
        const room = line ? maxChars - widthOf(line) - 1 : maxChars;
        if (room >= 4) {
          const n = fitting(chars, room);
          lines.push(line ? `${line} ${chars.slice(0, n).join("")}` : chars.slice(0, n).join(""));
          word = chars.slice(n).join("");
        } else {
          if (line) lines.push(line);
          const n = fitting(chars, maxChars);
          lines.push(chars.slice(0, n).join(""));
          word = chars.slice(n).join("");
        }
        line = "";
      }
      if (!word) continue;
      const candidate = line ? `${line} ${word}` : word;
      if (widthOf(candidate) <= maxChars) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
  }
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    const last = Array.from(kept[maxLines - 1]!);
    kept[maxLines - 1] = `${last.slice(0, fitting(last, maxChars - 1)).join("").trimEnd()}…`;
    return kept;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// The filtergraph

interface Plan {
  graph: string;
  /** Input arguments, in input order (`-i` included). */
  inputs: string[][];
  stdin?: Buffer;
  videoLabel: string;
  audioLabel?: string;
  pngLabel?: string;
}

/**
 * The seeded "scene" when there is no first frame: soft colour blobs drifting over a dark
 * diagonal gradient, computed here at 1/12 of the output size (rgb24 frames, upscaled by
 * ffmpeg). A per-pixel geq expression did the same ~10x slower.
 */
export function backgroundFrames(seed: number, width: number, height: number, frames: number): { data: Buffer; width: number; height: number } {
  const rand = mulberry32(seed ^ 0x9e3779b9);
  const gw = Math.max(24, even(width / 12));
  const gh = Math.max(24, even(height / 12));
  const hue = rand();
  const base = hslToRgb((hue + 0.5) % 1, 0.35 + rand() * 0.2, 0.1 + rand() * 0.1);
  const blobs = [0, 1, 2, 3].map((i) => ({
    color: hslToRgb((hue + i * (0.12 + rand() * 0.2)) % 1, 0.55 + rand() * 0.35, 0.4 + rand() * 0.25),
    cx: 0.2 + rand() * 0.6,
    cy: 0.2 + rand() * 0.6,
    ax: 0.15 + rand() * 0.25,
    ay: 0.1 + rand() * 0.25,
    fx: (0.25 + rand() * 0.5) * (rand() < 0.5 ? -1 : 1),
    fy: (0.2 + rand() * 0.5) * (rand() < 0.5 ? -1 : 1),
    px: rand() * Math.PI * 2,
    py: rand() * Math.PI * 2,
    size: 0.03 + rand() * 0.07,
  }));
  const aspect2 = (width / height) ** 2;
  const data = Buffer.alloc(gw * gh * 3 * frames);
  const acc = new Float64Array(3);
  let o = 0;
  for (let f = 0; f < frames; f++) {
    const t = f / FPS;
    const centres = blobs.map((b) => [b.cx + b.ax * Math.sin(t * b.fx + b.px), b.cy + b.ay * Math.cos(t * b.fy + b.py)] as const);
    for (let y = 0; y < gh; y++) {
      const v = (y + 0.5) / gh;
      for (let x = 0; x < gw; x++) {
        const u = (x + 0.5) / gw;
        const shade = 0.7 + 0.25 * (u + v);
        for (let c = 0; c < 3; c++) acc[c] = base[c]! * shade;
        for (let i = 0; i < blobs.length; i++) {
          const b = blobs[i]!;
          const [bx, by] = centres[i]!;
          const w = Math.exp(-(((u - bx) ** 2) * aspect2 + (v - by) ** 2) / b.size);
          for (let c = 0; c < 3; c++) acc[c] = acc[c]! + (b.color[c]! - acc[c]!) * w;
        }
        for (let c = 0; c < 3; c++) data[o++] = Math.max(0, Math.min(255, Math.round(acc[c]!)));
      }
    }
  }
  return { data, width: gw, height: gh };
}

function buildPlan(o: {
  width: number;
  height: number;
  frames: number;
  seed: number;
  hasFirst: boolean;
  hasLast: boolean;
  cameraFixed: boolean;
  audio: boolean;
  lastFramePng: boolean;
  refImages: number;
  refVideos: number;
  refAudios: number;
  edit: boolean;
  captions: { prompt: boolean; promptFont: string; fontSize: number; seedSize: number; margin: number; pad: number; lineSpacing: number };
  watermark: boolean;
}): Plan {
  const { width: W, height: H, frames: N } = o;
  const rand = mulberry32(o.seed);
  const duration = N / FPS;
  const chains: string[] = [];
  const inputs: string[][] = [];
  let stdin: Buffer | undefined;
  const BG = "0x101014";

  // A still image (first input frame only), covering `cw`×`ch`, transparency flattened, repeated N times.
  const still = (input: number, cw: number, ch: number, label: string) => {
    chains.push(
      `[${input}:v]trim=end_frame=1,scale=${cw}:${ch}:force_original_aspect_ratio=increase:flags=bicubic,crop=${cw}:${ch},setsar=1,format=rgba[${label}fg]`,
      `color=c=${BG}:s=${cw}x${ch}:r=${FPS},trim=end_frame=1,format=rgba[${label}bg]`,
      `[${label}bg][${label}fg]overlay=0:0:shortest=1,format=yuv420p,loop=loop=${N - 1}:size=1:start=0,setpts=N/(${FPS}*TB)[${label}]`,
    );
  };

  // 1. The opening scene: the first frame, or a seeded animated colour field.
  const camera = !o.cameraFixed && !o.edit;
  const zoomIn = rand() < 0.6;
  const panX = (rand() * 2 - 1) * 0.9;
  const panY = (rand() * 2 - 1) * 0.6;
  if (o.edit) {
    // The reference video itself, mirrored with its hue turned half way: plainly the same footage, edited.
    const index = inputs.push(["-i", "edit"]) - 1;
    chains.push(
      `[${index}:v]fps=${FPS},scale=${W}:${H}:force_original_aspect_ratio=increase:flags=bicubic,crop=${W}:${H},setsar=1,hflip,hue=h=180:s=1.4,format=yuv420p,tpad=stop_mode=clone:stop_duration=${num(duration)},trim=end_frame=${N},setpts=N/(${FPS}*TB)[base0]`,
    );
  } else if (o.hasFirst) {
    inputs.push(["-i", "first"]);
    // Oversized canvas so the camera move scales down (sharper, sub-pixel steady).
    const cw = camera ? even(W * 1.25) : W;
    const ch = camera ? even(H * 1.25) : H;
    still(0, cw, ch, "base0");
  } else {
    const bg = backgroundFrames(o.seed, W, H, N);
    stdin = bg.data;
    const index = inputs.push(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", `${bg.width}x${bg.height}`, "-r", String(FPS), "-i", "pipe:0"]) - 1;
    chains.push(`[${index}:v]scale=${W}:${H}:flags=bicubic,setsar=1,format=yuv420p[base0]`);
  }

  let scene = "base0";
  if (camera) {
    const zStart = zoomIn ? 1 : 1.12;
    const zEnd = zoomIn ? 1.12 : 1;
    const p = N > 1 ? `clip((in-1)/${N - 1},0,1)` : "0";
    const ease = `(1-cos(PI*${p}))/2`;
    chains.push(
      `[base0]zoompan=z='${num(zStart)}+${num(zEnd - zStart)}*${ease}':x='(iw-iw/zoom)*(0.5+${num(panX / 2)}*(2*${ease}-1))':y='(ih-ih/zoom)*(0.5+${num(panY / 2)}*(2*${ease}-1))':d=1:s=${W}x${H}:fps=${FPS},setsar=1,format=yuv420p[cam]`,
    );
    scene = "cam";
  }

  // 2. The last frame fades in over the middle of the clip, and holds at the end.
  if (o.hasLast) {
    const index = inputs.push(["-i", "last"]) - 1;
    const start = duration * 0.2;
    const length = Math.max(1 / FPS, duration * 0.6);
    still(index, W, H, "lastv");
    chains.push(`[lastv]format=yuva420p,fade=t=in:st=${num(start)}:d=${num(length)}:alpha=1[lastfade]`);
    chains.push(`[${scene}][lastfade]overlay=0:0:format=yuv420,format=yuv420p[mixed]`);
    scene = "mixed";
  }

  // 2b. A reference video's frames, blended over the scene at 45 %, looped to the clip's length.
  if (o.refVideos > 0) {
    const index = inputs.push(["-stream_loop", "-1", "-i", "rv0"]) - 1;
    chains.push(
      `[${index}:v]fps=${FPS},scale=${W}:${H}:force_original_aspect_ratio=increase:flags=bicubic,crop=${W}:${H},setsar=1,trim=end_frame=${N},setpts=N/(${FPS}*TB),format=yuva420p,colorchannelmixer=aa=0.45[refv]`,
      `[${scene}][refv]overlay=0:0:format=yuv420,format=yuv420p[blended]`,
    );
    scene = "blended";
  }

  // 2c. Reference images: a framed tile in the top-left corner, each image taking its turn.
  const tiles = Math.min(o.refImages, MAX_TILES);
  if (tiles > 0) {
    const side = even(Math.min(W, H) * 0.32);
    const border = Math.max(2, Math.round(side * 0.025));
    const at = Math.round(Math.min(W, H) * 0.05);
    for (let i = 0; i < tiles; i++) {
      const index = inputs.push(["-i", `ri${i}`]) - 1;
      const from = (duration * i) / tiles;
      const to = (duration * (i + 1)) / tiles;
      chains.push(
        `[${index}:v]trim=end_frame=1,scale=${side}:${side}:force_original_aspect_ratio=increase:flags=bicubic,crop=${side}:${side},setsar=1,pad=${side + 2 * border}:${side + 2 * border}:${border}:${border}:white,format=yuv420p,loop=loop=${N - 1}:size=1:start=0,setpts=N/(${FPS}*TB)[tile${i}]`,
        `[${scene}][tile${i}]overlay=${at}:${at}:enable='between(t,${num(from)},${num(to - 0.0001)})',format=yuv420p[tiled${i}]`,
      );
      scene = `tiled${i}`;
    }
  }

  // 3. Captions: prompt (boxed), seed, and the watermark.
  const c = o.captions;
  const sans = filterValue(fontFile(SANS));
  const mono = filterValue(fontFile(MONO));
  const seedY = H - c.margin - c.seedSize;
  const text: string[] = [];
  if (c.prompt) {
    text.push(
      `drawtext=fontfile=${filterValue(c.promptFont)}:textfile=prompt.txt:expansion=none:fontsize=${c.fontSize}:fontcolor=white:line_spacing=${c.lineSpacing}:box=1:boxcolor=black@0.45:boxborderw=${c.pad}:x=${c.margin + c.pad}:y='${seedY - c.pad - Math.round(c.seedSize * 0.6)}-th'`,
    );
  }
  text.push(
    `drawtext=fontfile=${mono}:textfile=seed.txt:expansion=none:fontsize=${c.seedSize}:fontcolor=white@0.9:shadowcolor=black@0.6:shadowx=1:shadowy=1:x=${c.margin + c.pad}:y=${seedY}`,
  );
  if (o.watermark) {
    text.push(
      `drawtext=fontfile=${sans}:textfile=watermark.txt:expansion=none:fontsize=${c.seedSize}:fontcolor=white@0.75:shadowcolor=black@0.6:shadowx=1:shadowy=1:x='w-tw-${c.margin}':y=${c.margin}`,
    );
  }
  // No -frames:v on the output: this ffmpeg closes every stream of a file when one reaches
  // its frame limit, which starves the audio. Every source is exactly N frames; trim is a guard.
  const videoLabel = "vout";
  const captioned = `[${scene}]${text.join(",")},trim=end_frame=${N},format=yuv420p`;
  if (o.lastFramePng) {
    chains.push(`${captioned},split=2[${videoLabel}][tail]`);
    chains.push(`[tail]select='eq(n,${N - 1})',format=rgb24[png]`);
  } else {
    chains.push(`${captioned}[${videoLabel}]`);
  }

  // 4. Audio: the reference audio one clip after another (silence after), else a soft chord
  // whose root follows the seed, with a slow swell and short fades.
  let audioLabel: string | undefined;
  const samples = Math.round((N * AUDIO_RATE) / FPS);
  if (o.refAudios > 0) {
    const labels: string[] = [];
    for (let i = 0; i < o.refAudios; i++) {
      const index = inputs.push(["-i", `ra${i}`]) - 1;
      chains.push(`[${index}:a]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo[ra${i}]`);
      labels.push(`[ra${i}]`);
    }
    chains.push(`${labels.join("")}concat=n=${labels.length}:v=0:a=1,apad,atrim=end_sample=${samples},aformat=sample_fmts=fltp:channel_layouts=stereo[aout]`);
    audioLabel = "aout";
  } else if (o.audio) {
    const root = 220 * 2 ** ((o.seed >>> 0) % 12 / 12);
    const third = rand() < 0.5 ? 2 ** (3 / 12) : 2 ** (4 / 12);
    const voices: [number, number][] = [
      [root / 2, 0.09],
      [root, 0.08],
      [root * third, 0.06],
      [root * 1.5, 0.06],
    ];
    const envelope = `min(1,t/0.3)*min(1,(${num(duration)}-t)/0.3)*(0.8+0.2*sin(2*PI*${num(0.2 + rand() * 0.3)}*t))`;
    const channel = (detune: number) => `${envelope}*(${voices.map(([f, a]) => `${num(a, 3)}*sin(2*PI*${num(f * detune, 3)}*t)`).join("+")})`;
    chains.push(
      `aevalsrc=exprs='${channel(1)}|${channel(1.003)}':s=${AUDIO_RATE},atrim=end_sample=${samples},aformat=sample_fmts=fltp:channel_layouts=stereo[aout]`,
    );
    audioLabel = "aout";
  }

  return { graph: chains.join(";"), inputs, stdin, videoLabel, audioLabel, pngLabel: o.lastFramePng ? "png" : undefined };
}

// ---------------------------------------------------------------------------------------

export async function renderClip(opts: RenderOptions): Promise<RenderResult> {
  const W = Math.round(opts.width);
  const H = Math.round(opts.height);
  // 4400: the widest 4k size (21:9, Part 3 decision 9).
  if (!(W >= 16 && H >= 16 && W % 2 === 0 && H % 2 === 0 && W <= 4400 && H <= 4400)) throw new Error(`Bad clip size ${opts.width}x${opts.height}`);
  const frames = Math.max(1, Math.round(opts.durationSec * FPS));
  if (!Number.isFinite(frames) || frames > FPS * 60) throw new Error(`Bad clip duration ${opts.durationSec}`);
  const seed = Math.floor(Number.isFinite(opts.seed) ? opts.seed : 0) >>> 0;

  const outDir = path.resolve(opts.outDir);
  await fs.mkdir(outDir, { recursive: true });
  // Work inside outDir: same filesystem, so results can be renamed into place, and ffmpeg
  // runs there with short relative names that need no escaping.
  const work = await fs.mkdtemp(path.join(outDir, ".render-"));
  try {
    const base = Math.min(W, H);
    const fontSize = Math.max(12, Math.round(base * 0.045));
    const seedSize = Math.max(10, Math.round(fontSize * 0.72));
    const margin = Math.round(base * 0.05);
    const pad = Math.max(4, Math.round(fontSize * 0.4));
    const lineSpacing = Math.round(fontSize * 0.3);
    const maxChars = Math.max(12, Math.floor((W - 2 * margin - 2 * pad) / (fontSize * 0.56)));
    const maxLines = H > W ? 4 : 3;

    const refImages = (opts.referenceImagePaths ?? []).slice(0, MAX_TILES);
    const refVideos = opts.editSourcePath ? [] : (opts.referenceVideoPaths ?? []);
    const refAudios = opts.referenceAudioPaths ?? [];
    const promptFont = captionFont(opts.prompt);
    const lines = captionLines(opts.prompt, maxChars, maxLines, promptFont.coverage);
    await Promise.all([
      fs.writeFile(path.join(work, "prompt.txt"), lines.join("\n"), "utf8"),
      fs.writeFile(path.join(work, "seed.txt"), `seed ${seed}`, "utf8"),
      fs.writeFile(path.join(work, "watermark.txt"), "AI generated", "utf8"),
      opts.firstFramePath ? fs.copyFile(path.resolve(opts.firstFramePath), path.join(work, "first")) : undefined,
      opts.lastFramePath ? fs.copyFile(path.resolve(opts.lastFramePath), path.join(work, "last")) : undefined,
      opts.editSourcePath ? fs.copyFile(path.resolve(opts.editSourcePath), path.join(work, "edit")) : undefined,
      ...refImages.map((file, i) => fs.copyFile(path.resolve(file), path.join(work, `ri${i}`))),
      ...refVideos.slice(0, 1).map((file, i) => fs.copyFile(path.resolve(file), path.join(work, `rv${i}`))),
      ...refAudios.map((file, i) => fs.copyFile(path.resolve(file), path.join(work, `ra${i}`))),
    ]);

    const plan = buildPlan({
      width: W,
      height: H,
      frames,
      seed,
      hasFirst: Boolean(opts.firstFramePath) && !opts.editSourcePath,
      hasLast: Boolean(opts.lastFramePath) && !opts.editSourcePath,
      refImages: refImages.length,
      refVideos: Math.min(refVideos.length, 1),
      refAudios: refAudios.length,
      edit: Boolean(opts.editSourcePath),
      cameraFixed: opts.cameraFixed,
      audio: opts.audio,
      lastFramePng: opts.lastFramePng,
      watermark: opts.watermark,
      captions: { prompt: lines.length > 0, promptFont: promptFont.file, fontSize, seedSize, margin, pad, lineSpacing },
    });

    const mov = opts.container === "mov";
    const videoFile = mov ? MOV_FILE : VIDEO_FILE;
    const args: string[] = ["-y"];
    for (const input of plan.inputs) args.push(...input);
    args.push("-filter_complex", plan.graph);
    args.push("-map", `[${plan.videoLabel}]`);
    if (plan.audioLabel) args.push("-map", `[${plan.audioLabel}]`);
    args.push(
      "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p",
      "-g", String(FPS * 2), "-threads", X264_THREADS,
      "-r", String(FPS),
    );
    if (plan.audioLabel) args.push("-c:a", "aac", "-b:a", "128k", "-ar", String(AUDIO_RATE), "-ac", "2");
    args.push(
      "-map_metadata", "-1", "-map_chapters", "-1",
      "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
      "-movflags", "+faststart", "-f", mov ? "mov" : "mp4", videoFile,
    );
    if (plan.pngLabel) {
      args.push("-map", `[${plan.pngLabel}]`, "-frames:v", "1", "-c:v", "png", "-flags:v", "+bitexact", "-f", "image2", "-update", "1", LAST_FRAME_FILE);
    }

    // Budget: generous, scaled by pixels × frames (a 1080p 12 s clip is the worst case).
    const timeoutMs = 60_000 + Math.round((W * H * frames) / 1e4);
    await runFfmpeg(args, { cwd: work, signal: opts.signal, timeoutMs, stdin: plan.stdin });

    const videoPath = path.join(outDir, videoFile);
    await fs.rename(path.join(work, videoFile), videoPath);
    let lastFramePath: string | undefined;
    if (plan.pngLabel) {
      lastFramePath = path.join(outDir, LAST_FRAME_FILE);
      await fs.rename(path.join(work, LAST_FRAME_FILE), lastFramePath);
    }
    return { videoPath, lastFramePath };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
