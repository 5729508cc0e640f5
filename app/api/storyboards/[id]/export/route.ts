import { appContext, wakeExports } from "@/lib/app/context";
import { guardRoute } from "@/lib/http/route-guard";
import { requestExport } from "@/lib/storyboards/service";

/** Queues "Export film" (durable: the export loop picks it up, also after a restart). */
export const POST = guardRoute<{ id: string }>({ access: "signed-in" }, async (_request, { params }) => {
  const board = await requestExport(await appContext(), { id: params.id });
  wakeExports();
  return Response.json(board, { status: 202 });
});
