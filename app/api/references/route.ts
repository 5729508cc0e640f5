import { appContext } from "@/lib/app/context";
import { env } from "@/lib/env";
import { uploadKind, uploadReference } from "@/lib/generations/reference-upload";
import { guardRoute } from "@/lib/http/route-guard";
import { enforceUploadRate } from "@/lib/limits/upload-limits";

/**
 * `POST /api/references?kind=image|video|audio` with the file itself as the body (its own media
 * type as Content-Type, or application/octet-stream): checked and stored as
 * `refs/<sha256>.<ext>`, answered 201 (200 when those bytes were stored already) with
 * `{ ref: "media:refs/<sha256>.<ext>", url, kind, bytes, seconds?, width?, height? }`; `ref` goes
 * in a create's `referenceImages` / `referenceVideos` / `referenceAudios`.
 *
 * Outside the proxy (see `config.matcher` in proxy.ts): Next would copy each body the proxy sees
 * into memory and cut it at 10 MB, and a reference video may be 100 MB.
 */
export const POST = guardRoute(
  { access: "signed-in", outsideProxy: true, binaryBody: ["image/*", "video/*", "audio/*", "application/octet-stream"] },
  async (request, { client }) => {
    const kind = uploadKind(new URL(request.url).searchParams.get("kind"));
    const ctx = await appContext();
    await enforceUploadRate(ctx.db, client, env().limits.createPerMinute);
    const { upload, stored } = await uploadReference(ctx, request, kind);
    return Response.json(upload, { status: stored ? 201 : 200, headers: { "cache-control": "no-store" } });
  },
);
