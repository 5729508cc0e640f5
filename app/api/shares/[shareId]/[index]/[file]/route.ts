import { appContext } from "@/lib/app/context";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { downloadFileName, serveStoredObject } from "@/lib/media/serve";
import { guardHandler } from "@/lib/http/route-guard";
import { getActiveShare } from "@/lib/shares/service";

/** Media of a shared clip, addressed through the share so the page reveals no clip ids. */
async function handle(request: Request, ctx: RouteContext<"/api/shares/[shareId]/[index]/[file]">) {
  const { shareId, index, file } = await ctx.params;
  if (!/^\d{1,3}$/.test(index) || (file !== "video.mp4" && file !== "poster.jpg")) throw new AppError("media_not_found");
  const app = await appContext();
  const found = await getActiveShare(app, { id: shareId });
  const row = found?.rows[Number(index)];
  if (!found || !row) throw new AppError("media_not_found");
  const key = file === "video.mp4" ? row.videoKey : row.posterKey;
  if (!key) throw new AppError("media_not_found");
  const wantsDownload = file === "video.mp4" && new URL(request.url).searchParams.get("download") === "1";
  const downloadName = wantsDownload ? downloadFileName(found.share.hidePrompt ? "seedance-clip" : row.prompt, null, "mp4") : undefined;
  // Short-lived in caches: a revoked link must stop playing soon (see CACHE_POLICIES).
  return serveStoredObject(app.storage, key, request, { downloadName, cache: "share", delivery: env().mediaDelivery });
}

// Public: the unguessable share id is the key; a revoked share answers 404.
export const GET = guardHandler({ access: "public" }, handle);
export const HEAD = GET;
