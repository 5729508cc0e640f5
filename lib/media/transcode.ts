import "server-only";
import path from "node:path";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { probeMedia } from "@/lib/media/probe";

/**
 * A copy of a clip that every browser plays: H.264 (and AAC) in MP4 with the index up front.
 * 2.5's `mov` output (decision 6) is kept as the original; this copy is what the player gets. An
 * H.264 original is only re-wrapped (no quality lost, no time spent); anything else is encoded.
 */
export async function playableMp4Copy(input: string, output: string): Promise<void> {
  const info = await probeMedia(input);
  const video = info.videoCodec === "h264" ? ["-c:v", "copy"] : ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"];
  await runFfmpeg([
    "-y", "-loglevel", "error", "-i", path.resolve(input),
    "-map", "0:v:0", "-map", "0:a:0?", ...video, "-c:a", "aac", "-b:a", "160k",
    "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4", path.resolve(output),
  ]);
}
