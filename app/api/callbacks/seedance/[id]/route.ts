import { readTextCapped } from "@/lib/http/body";
import { appContext } from "@/lib/app/context";
import { CALLBACK_MAX_BYTES, handleSeedanceCallback } from "@/lib/jobs/callback";
import { guardHandler } from "@/lib/http/route-guard";

/** Upstream callback: verify the per-generation signature, then confirm upstream and apply. */
async function receive(request: Request, ctx: RouteContext<"/api/callbacks/seedance/[id]">) {
  const { id } = await ctx.params;
  const rawBody = await readTextCapped(request, CALLBACK_MAX_BYTES);
  const signature = new URL(request.url).searchParams.get("sig");
  // A refusal is thrown as a coded error, which the guard answers (401, 410, 409, 503 + Retry-After).
  const { status, outcome } = await handleSeedanceCallback(await appContext(), { id, signature, rawBody });
  return Response.json({ ok: true, outcome }, { status });
}

// Public: the upstream has no session; each URL carries its own per-task signature.
export const POST = guardHandler({ access: "public" }, receive);
