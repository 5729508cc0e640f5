import { connection } from "next/server";
import { errorResponse } from "@/lib/http";
import { appContext } from "@/lib/jobs/app-context";
import { usageSummary } from "@/lib/generations/service";

/** Tokens used today and this month, as the upstream reported them. */
export async function GET() {
  await connection();
  try {
    return Response.json(await usageSummary(await appContext()));
  } catch (error) {
    return errorResponse(error);
  }
}
