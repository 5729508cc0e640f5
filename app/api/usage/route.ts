import { connection } from "next/server";
import { appContext } from "@/lib/app/context";
import { usageSummary } from "@/lib/generations/read";
import { guardRoute } from "@/lib/http/route-guard";

/** Tokens used today and this month, as the upstream reported them. */
export const GET = guardRoute({ access: "signed-in" }, async () => {
  await connection();
  return Response.json(await usageSummary(await appContext()));
});
