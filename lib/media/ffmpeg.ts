import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { spawn } from "node:child_process";
import { constants as fsConstants } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";

/**
 * The ffmpeg and ffprobe binaries shipped by @ffmpeg-installer/ffmpeg and
 * @ffprobe-installer/ffprobe (both listed in next.config serverExternalPackages), and a
 * spawn helper (never a shell). The packages are loaded lazily so that importing this
 * module never throws: a missing binary surfaces as an error from the first call.
 */

const require = createRequire(import.meta.url);

/**
 * ffmpeg or ffprobe failed: the coded `media_failed` for whoever asked (no command line, no
 * paths), with what it said kept in `reason` and `stderrTail` for logs.
 */
export class FfmpegError extends AppError<"media_failed"> {
  constructor(
    readonly reason: string,
    readonly exitCode: number | null,
    /** The last lines ffmpeg wrote to stderr: where its real error message is. */
    readonly stderrTail: string,
  ) {
    super("media_failed");
    this.name = "FfmpegError";
  }

  /** AppError's brand would match every AppError: this one is matched by its code. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof AppError && value.code === "media_failed";
  }
}

let ffmpegPathPromise: Promise<string> | undefined;
let ffprobePathPromise: Promise<string> | undefined;

async function ensureExecutable(binary: string): Promise<string> {
  try {
    await fs.access(binary, fsConstants.X_OK);
    return binary;
  } catch {
    // npm sometimes loses the executable bit (tarball extraction, copied node_modules).
  }
  try {
    await fs.chmod(binary, 0o755);
    await fs.access(binary, fsConstants.X_OK);
    return binary;
  } catch (error) {
    throw new Error(`${binary} is not executable and could not be made executable: ${(error as Error).message}`);
  }
}

// Literal require() calls: bundlers (Turbopack) cannot follow a require of a variable.
const loaders: Record<string, () => unknown> = {
  "@ffmpeg-installer/ffmpeg": () => require("@ffmpeg-installer/ffmpeg"),
  "@ffprobe-installer/ffprobe": () => require("@ffprobe-installer/ffprobe"),
};

function installerPath(pkg: string): string {
  let loaded: unknown;
  try {
    loaded = loaders[pkg]!();
  } catch (error) {
    // @ffmpeg-installer/ffmpeg throws plain strings.
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot locate the binary of ${pkg}: ${detail}`);
  }
  const found = (loaded as { path?: unknown; default?: { path?: unknown } }).path ?? (loaded as { default?: { path?: unknown } }).default?.path;
  if (typeof found !== "string" || !found) throw new Error(`${pkg} did not report a binary path`);
  return found;
}

/** Absolute path of the ffmpeg binary, made executable if needed (resolved once; a failure is retried). */
export function ffmpegPath(): Promise<string> {
  ffmpegPathPromise ??= (async () => ensureExecutable(installerPath("@ffmpeg-installer/ffmpeg")))().catch((error: unknown) => {
    ffmpegPathPromise = undefined;
    throw error;
  });
  return ffmpegPathPromise;
}

/** Absolute path of the ffprobe binary, made executable if needed. */
export function ffprobePath(): Promise<string> {
  ffprobePathPromise ??= (async () => ensureExecutable(installerPath("@ffprobe-installer/ffprobe")))().catch((error: unknown) => {
    ffprobePathPromise = undefined;
    throw error;
  });
  return ffprobePathPromise;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Kill the process after this long. Default 120 s for ffmpeg, 30 s for ffprobe. */
  timeoutMs?: number;
  /** Working directory: lets callers pass short relative names instead of escaped paths. */
  cwd?: string;
  /** Bytes written to the process's stdin (read by ffmpeg as `-i pipe:0`). */
  stdin?: Uint8Array;
}

export interface RunResult {
  stdout: string;
  stderrTail: string;
}

const STDERR_TAIL_CHARS = 4000;
const STDOUT_MAX_CHARS = 16 * 1024 * 1024;

function run(binary: string, name: string, args: readonly string[], opts: RunOptions, defaultTimeoutMs: number): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new FfmpegError(`${name} aborted before it started`, null, ""));
      return;
    }
    const child = spawn(binary, [...args], { cwd: opts.cwd, stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "pipe"], shell: false, windowsHide: true });
    if (opts.stdin && child.stdin) {
      // ffmpeg may exit (on an error) before reading everything: that EPIPE is not the error to report.
      child.stdin.on("error", () => {});
      child.stdin.end(opts.stdin);
    }
    let stdout = "";
    let stderr = "";
    let killedFor: string | null = null;
    // stdio is ["pipe" | "ignore", "pipe", "pipe"]: both output streams exist.
    const out = child.stdout!;
    const err = child.stderr!;
    out.setEncoding("utf8");
    err.setEncoding("utf8");
    out.on("data", (chunk: string) => {
      if (stdout.length < STDOUT_MAX_CHARS) stdout += chunk;
    });
    err.on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_TAIL_CHARS * 2) stderr = stderr.slice(-STDERR_TAIL_CHARS);
    });

    const kill = (reason: string) => {
      if (killedFor) return;
      killedFor = reason;
      child.kill("SIGKILL");
    };
    const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
    const timer = timeoutMs > 0 ? setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs) : undefined;
    const onAbort = () => kill("aborted");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    };

    child.on("error", (error) => {
      cleanup();
      reject(new FfmpegError(`${name} could not start: ${error.message}`, null, ""));
    });
    child.on("close", (code, sig) => {
      cleanup();
      const stderrTail = stderr.slice(-STDERR_TAIL_CHARS).trim();
      if (killedFor) {
        reject(new FfmpegError(`${name} ${killedFor}`, code, stderrTail));
      } else if (code !== 0) {
        const lastLines = stderrTail.split("\n").slice(-3).join(" | ");
        reject(new FfmpegError(`${name} exited with ${code ?? sig}: ${lastLines}`, code, stderrTail));
      } else {
        resolve({ stdout, stderrTail });
      }
    });
  });
}

/** Runs ffmpeg with `-hide_banner -nostdin -loglevel error` prepended; rejects with FfmpegError. */
export async function runFfmpeg(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(await ffmpegPath(), "ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", ...args], opts, 120_000);
}

/** Runs ffprobe with `-hide_banner -loglevel error` prepended; stdout is returned whole. */
export async function runFfprobe(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(await ffprobePath(), "ffprobe", ["-hide_banner", "-loglevel", "error", ...args], opts, 30_000);
}

/**
 * Escapes a value (a file path, typically) for use as a filter option inside a filtergraph:
 * once for the option parser (`\ ' :`) and once for the graph parser (`\ ' [ ] , ;`).
 */
export function filterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}
