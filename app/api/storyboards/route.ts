import { AppError } from "@/lib/errors";
import { errorResponse, readJsonBody } from "@/lib/http";
import { appContext } from "@/lib/jobs/app-context";
import { createStoryboard, createStoryboardSchema, listStoryboards, storyboardFromChain } from "@/lib/storyboards/service";

/** Storyboards, most recently changed first. */
export async function GET() {
  try {
    const ctx = await appContext();
    return Response.json({ items: await listStoryboards(ctx.db) });
  } catch (error) {
    return errorResponse(error);
  }
}

/** `{ fromChain: generationId }` (made once per chain) or `{ generationIds: [...], title? }`. */
export async function POST(request: Request) {
  try {
    const parsed = createStoryboardSchema.safeParse(await readJsonBody(request, 64 * 1024));
    if (!parsed.success) throw new AppError("invalid", "Give a clip of a chain, or the clips of the storyboard.");
    const ctx = await appContext();
    const board = "fromChain" in parsed.data ? await storyboardFromChain(ctx.db, parsed.data.fromChain) : await createStoryboard(ctx.db, parsed.data);
    return Response.json(board, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
