import { getGenerationById } from "@/lib/db/generations";
import { getStoryboardById } from "@/lib/db/storyboards";
import { toGeneration } from "@/lib/dto/generation";
import { appContext } from "@/lib/app/context";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { downloadFileName, serveStoredObject } from "@/lib/media/serve";
import { isValidKey } from "@/lib/storage";
import { guardHandler } from "@/lib/http/route-guard";
import { checkMediaSignature, MEDIA_SIGNATURE_PARAM } from "@/lib/security/signed-media-url";

/** Our stored files only (clips, posters, last frames, inputs, references), never a URL from a client. */
async function handle(request: Request, ctx: RouteContext<"/api/media/[...key]">) {
  const { key: parts } = await ctx.params;
  const key = parts.join("/");
  // Before any lookup: a NUL or a non-ASCII id cannot name a file (and PostgreSQL refuses a NUL).
  if (!isValidKey(key)) throw new AppError("media_not_found");
  const app = await appContext();
  let downloadName: string | undefined;
  const wantsDownload = new URL(request.url).searchParams.get("download") === "1";
  if (parts[0] === "clips" && parts.length === 3) {
    const row = await getGenerationById({ db: app.db, id: parts[1]! });
    if (!row) throw new AppError("media_not_found");
    if (wantsDownload) downloadName = downloadFileName(row.prompt, toGeneration(row).seed, key.split(".").pop()!);
  } else if (parts[0] === "films" && parts.length === 3 && (parts[2] === "film.mp4" || parts[2] === "poster.jpg")) {
    // A storyboard's stitched film: downloaded as "<title>-film.mp4".
    const board = await getStoryboardById({ db: app.db, id: parts[1]! });
    if (!board?.filmKey) throw new AppError("media_not_found");
    if (wantsDownload) downloadName = downloadFileName(`${board.title || "storyboard"} film`, null, key.split(".").pop()!);
  } else if ((parts[0] !== "inputs" && parts[0] !== "refs") || parts.length !== 2) {
    throw new AppError("media_not_found");
  }
  return serveStoredObject(app.storage, key, request, { downloadName, cache: "studio", delivery: env().mediaDelivery });
}

// Signed in: clips, frames and films are the studio's own (shares have their own route).
const signedIn = guardHandler({ access: "signed-in" }, handle);

/**
 * A signed link (lib/security/signed-media-url.ts): the upstream fetching a reference has no
 * session, so a valid signature for exactly this key opens it, even behind STUDIO_PASSWORD. A
 * tampered, foreign or expired one is a 403, whoever asks.
 */
const bySignature = guardHandler({ access: "public" }, async (request: Request, ctx: RouteContext<"/api/media/[...key]">) => {
  const { key: parts } = await ctx.params;
  const key = parts.join("/");
  if (!isValidKey(key)) throw new AppError("media_not_found");
  const app = await appContext();
  const check = checkMediaSignature(app.config.callbackSecret, key, new URL(request.url).searchParams.get(MEDIA_SIGNATURE_PARAM));
  if (check !== "valid") throw new AppError(check === "expired" ? "media_link_expired" : "media_link_invalid");
  return handle(request, ctx);
});

export function GET(request: Request, ctx: RouteContext<"/api/media/[...key]">): Promise<Response> {
  return new URL(request.url).searchParams.has(MEDIA_SIGNATURE_PARAM) ? bySignature(request, ctx) : signedIn(request, ctx);
}
export const HEAD = GET;
