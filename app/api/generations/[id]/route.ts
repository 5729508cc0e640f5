import { appContext } from "@/lib/app/context";
import { deleteOne } from "@/lib/generations/delete";
import { getOne } from "@/lib/generations/read";
import { guardRoute } from "@/lib/http/route-guard";

export const GET = guardRoute<{ id: string }>({ access: "signed-in" }, async (_request, { params }) => {
  return Response.json(await getOne(await appContext(), params.id));
});

export const DELETE = guardRoute<{ id: string }>({ access: "signed-in" }, async (_request, { params }) => {
  await deleteOne(await appContext(), params.id);
  return new Response(null, { status: 204 });
});
