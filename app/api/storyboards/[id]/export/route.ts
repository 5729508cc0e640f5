import { errorResponse } from "@/lib/http";
import { appContext, wakeExports } from "@/lib/jobs/app-context";
import { requestExport } from "@/lib/storyboards/service";

/** Queues "Export film" (durable: the export loop picks it up, also after a restart). */
export async function POST(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    const board = await requestExport((await appContext()).db, id);
    wakeExports();
    return Response.json(board, { status: 202 });
  } catch (error) {
    return errorResponse(error);
  }
}
