import { errorResponse, readJsonBody } from "@/lib/http";
import { appContext } from "@/lib/jobs/app-context";
import { createFilmShare } from "@/lib/shares/service";

/** A public link to the storyboard's finished film (`/v/<id>`); body `{ hidePrompt?: boolean }`. */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    const body = (await readJsonBody(request, 1024).catch(() => ({}))) as { hidePrompt?: unknown } | null;
    const share = await createFilmShare((await appContext()).db, id, { hidePrompt: body?.hidePrompt === true });
    return Response.json(share, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
