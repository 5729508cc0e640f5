import { AppError } from "@/lib/errors";
import { errorResponse, readJsonBody } from "@/lib/http";
import { appContext } from "@/lib/jobs/app-context";
import { deleteStoryboard, getStoryboard, updateStoryboard, updateStoryboardSchema } from "@/lib/storyboards/service";

export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    return Response.json(await getStoryboard((await appContext()).db, id));
  } catch (error) {
    return errorResponse(error);
  }
}

/** Reorder / remove (`items`), trims (`items[].trimStart`, `trimEnd`), `crossfadeSec`, `title`. */
export async function PATCH(request: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    const parsed = updateStoryboardSchema.safeParse(await readJsonBody(request, 64 * 1024));
    if (!parsed.success) throw new AppError("invalid", parsed.error.issues[0]?.message ?? "Some fields need fixing.");
    return Response.json(await updateStoryboard((await appContext()).db, id, parsed.data));
  } catch (error) {
    return errorResponse(error);
  }
}

export async function DELETE(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    await deleteStoryboard((await appContext()).db, id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
