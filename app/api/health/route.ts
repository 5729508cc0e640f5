import { connection } from "next/server";
import { appContext } from "@/lib/jobs/app-context";
import { env } from "@/lib/env";

export async function GET() {
  await connection();
  try {
    await appContext();
    return Response.json({ ok: true, upstream: env().useSimulator ? "simulator" : "seedance" });
  } catch {
    return Response.json({ ok: false }, { status: 503 });
  }
}
