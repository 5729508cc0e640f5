import { handleSimulatorRequest } from "@/lib/simulator/handler";

// The embedded upstream (no SEEDANCE_API_TOKEN): same paths as https://api.acedata.cloud.
export async function POST(request: Request, ctx: RouteContext<"/api/simulator/[...path]">) {
  return handleSimulatorRequest(request, (await ctx.params).path);
}

export async function GET(request: Request, ctx: RouteContext<"/api/simulator/[...path]">) {
  return handleSimulatorRequest(request, (await ctx.params).path);
}
