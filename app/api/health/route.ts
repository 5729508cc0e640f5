import { connection } from "next/server";
import { appContext } from "@/lib/app/context";
import { env } from "@/lib/env";
import { guardRoute } from "@/lib/http/route-guard";

/** Public: load balancers probe it without a session; it says only whether the app is up. */
export const GET = guardRoute({ access: "public" }, async () => {
  await connection();
  try {
    await appContext();
    return Response.json({ ok: true, upstream: env().useSimulator ? "simulator" : "seedance" });
  } catch {
    return Response.json({ ok: false }, { status: 503 });
  }
});
