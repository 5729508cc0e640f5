import { readJsonBody } from "@/lib/http/body";
import { appContext } from "@/lib/app/context";
import { guardRoute } from "@/lib/http/route-guard";
import { createFilmShare } from "@/lib/shares/service";

/** A public link to the storyboard's finished film (`/v/<id>`); body `{ hidePrompt?: boolean }` (optional). */
export const POST = guardRoute<{ id: string }>({ access: "signed-in", json: true }, async (request, { params }) => {
  const body = (await readJsonBody(request, 1024).catch(() => ({}))) as { hidePrompt?: unknown } | null;
  const share = await createFilmShare(await appContext(), { storyboardId: params.id, hidePrompt: body?.hidePrompt === true });
  return Response.json(share, { status: 201 });
});
