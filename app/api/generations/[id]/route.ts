import { errorResponse } from "@/lib/http";
import { appContext } from "@/lib/jobs/app-context";
import { deleteOne, getOne } from "@/lib/generations/service";

export async function GET(_request: Request, ctx: RouteContext<"/api/generations/[id]">) {
  try {
    const { id } = await ctx.params;
    return Response.json(await getOne(await appContext(), id));
  } catch (error) {
    return errorResponse(error);
  }
}

export async function DELETE(_request: Request, ctx: RouteContext<"/api/generations/[id]">) {
  try {
    const { id } = await ctx.params;
    await deleteOne(await appContext(), id);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error);
  }
}
