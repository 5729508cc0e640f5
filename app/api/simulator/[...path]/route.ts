import { handleSimulatorRequest } from "@/lib/simulator/handler";
import { withSecurityHeaders } from "@/lib/security/headers";

// The embedded upstream (no SEEDANCE_API_TOKEN): same paths as https://api.acedata.cloud. Outside
// the proxy, like the real upstream (proxy.ts `config.matcher`): its bodies carry base64 images
// past the 10 MB Next copies for the proxy, and it checks its own bearer token.
export async function POST(request: Request, ctx: RouteContext<"/api/simulator/[...path]">) {
  return withSecurityHeaders(request, await handleSimulatorRequest(request, (await ctx.params).path));
}

export async function GET(request: Request, ctx: RouteContext<"/api/simulator/[...path]">) {
  return withSecurityHeaders(request, await handleSimulatorRequest(request, (await ctx.params).path));
}
