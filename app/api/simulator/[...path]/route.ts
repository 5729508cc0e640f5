import { handleSimulatorRequest } from "@/lib/simulator/handler";
import { guardHandler } from "@/lib/http/route-guard";

// The embedded upstream (no SEEDANCE_API_TOKEN): same paths as https://api.acedata.cloud. Outside
// the proxy, like the real upstream (proxy.ts `config.matcher`): its bodies carry base64 images
// past the 10 MB Next copies for the proxy. Public to the gate: it checks its own bearer token.
const simulator = guardHandler({ access: "public", outsideProxy: true }, async (request, ctx: RouteContext<"/api/simulator/[...path]">) =>
  handleSimulatorRequest(request, (await ctx.params).path),
);

export const POST = simulator;
export const GET = simulator;
