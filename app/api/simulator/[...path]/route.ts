import { handleSimulatorRequest } from "@/lib/simulator/handler";
import { guardHandler } from "@/lib/http/route-guard";

// The embedded upstream (no SEEDANCE_API_TOKEN): same paths as https://api.acedata.cloud. Its
// create is outside the proxy (proxy.ts `config.matcher`): those bodies carry base64 images past
// the 10 MB Next copies for the proxy, so this route sets the security headers itself. Public to
// the gate: it checks its own bearer token.
const simulator = guardHandler({ access: "public", outsideProxy: true }, async (request, ctx: RouteContext<"/api/simulator/[...path]">) =>
  handleSimulatorRequest(request, (await ctx.params).path),
);

export const POST = simulator;
export const GET = simulator;
