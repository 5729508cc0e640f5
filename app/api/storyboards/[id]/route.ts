import { AppError } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/errors/zod";
import { readJsonBody } from "@/lib/http/body";
import { appContext } from "@/lib/app/context";
import { guardRoute } from "@/lib/http/route-guard";
import { deleteStoryboard, getStoryboard, updateStoryboard, updateStoryboardSchema } from "@/lib/storyboards/service";

type Params = { id: string };

export const GET = guardRoute<Params>({ access: "signed-in" }, async (_request, { params }) => {
  return Response.json(await getStoryboard(await appContext(), { id: params.id }));
});

/** Reorder / remove (`items`), trims (`items[].trimStart`, `trimEnd`), `crossfadeSec`, `title`. */
export const PATCH = guardRoute<Params>({ access: "signed-in", json: true }, async (request, { params }) => {
  const parsed = updateStoryboardSchema.safeParse(await readJsonBody(request, 64 * 1024));
  if (!parsed.success) throw new AppError("fields_invalid", {}, { fieldErrors: fieldErrorsFromZod(parsed.error) });
  return Response.json(await updateStoryboard(await appContext(), { id: params.id, input: parsed.data }));
});

export const DELETE = guardRoute<Params>({ access: "signed-in" }, async (_request, { params }) => {
  await deleteStoryboard(await appContext(), { id: params.id });
  return new Response(null, { status: 204 });
});
