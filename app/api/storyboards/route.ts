import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { appContext } from "@/lib/app/context";
import { guardRoute } from "@/lib/http/route-guard";
import { createStoryboard, createStoryboardSchema, listStoryboards, storyboardFromChain } from "@/lib/storyboards/service";

/** Storyboards, most recently changed first. */
export const GET = guardRoute({ access: "signed-in" }, async () => {
  const ctx = await appContext();
  return Response.json({ items: await listStoryboards(ctx) });
});

/** `{ fromChain: generationId }` (made once per chain) or `{ generationIds: [...], title? }`. */
export const POST = guardRoute({ access: "signed-in", json: true }, async (request) => {
  const parsed = createStoryboardSchema.safeParse(await readJsonBody(request, 64 * 1024));
  if (!parsed.success) throw new AppError("storyboard_body_invalid");
  const ctx = await appContext();
  const board = "fromChain" in parsed.data ? await storyboardFromChain(ctx, { generationId: parsed.data.fromChain }) : await createStoryboard(ctx, parsed.data);
  return Response.json(board, { status: 201 });
});
