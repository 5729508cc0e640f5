import { appContext } from "@/lib/jobs/app-context";
import { deleteOne, getOne } from "@/lib/generations/service";
import { guardRoute } from "@/lib/security/api-guard";

export const GET = guardRoute<{ id: string }>({ access: "signed-in" }, async (_request, { params }) => {
  return Response.json(await getOne(await appContext(), params.id));
});

export const DELETE = guardRoute<{ id: string }>({ access: "signed-in" }, async (_request, { params }) => {
  await deleteOne(await appContext(), params.id);
  return new Response(null, { status: 204 });
});
