import type { NextRequest } from "next/server";
import { requestClient } from "@/lib/auth/gate";
import { unauthorizedApiResponse } from "@/lib/auth/session";
import type { ClientIdentity } from "@/lib/limits/create-limits";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorResponse, readJsonBody } from "@/lib/http";
import { appContext } from "@/lib/jobs/app-context";
import { createFromSpec, idempotencyKeySchema, listPage } from "@/lib/generations/service";
import { withSecurityHeaders } from "@/lib/security/headers";
import { createGenerationBodySchema, fieldErrorsOf } from "@/lib/seedance/schema";

/** One image at the contract's 30 MB as base64, and the rest of the request. */
const MAX_BODY_BYTES = 45 * 1024 * 1024;

/**
 * This route is outside the proxy (see `config.matcher` in proxy.ts), so it does the proxy's two
 * jobs itself: the sign-in gate, and the security headers on every answer.
 */
async function guarded(request: NextRequest, handle: (client: ClientIdentity) => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    const client = await requestClient(request);
    response = await handle(client);
  } catch (error) {
    response = error instanceof AppError && error.kind === "unauthorized" ? unauthorizedApiResponse() : errorResponse(error);
  }
  return withSecurityHeaders(request, response);
}

/** Newest first, cursor-paginated: ?limit=&cursor=&status=running,queued&model=&q= */
export async function GET(request: NextRequest) {
  return guarded(request, async () => {
    const ctx = await appContext();
    const query = Object.fromEntries(request.nextUrl.searchParams.entries());
    return Response.json(await listPage(ctx, query));
  });
}

/** Creates a generation from the upstream's own request body (no callback_url: that is ours). */
export async function POST(request: NextRequest) {
  return guarded(request, async (client) => {
    const keyHeader = request.headers.get("idempotency-key");
    const key = keyHeader === null ? undefined : idempotencyKeySchema.safeParse(keyHeader);
    if (key && !key.success) throw new AppError("invalid", key.error.issues[0]!.message, { fieldErrors: { "Idempotency-Key": [key.error.issues[0]!.message] } });
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    const parsed = createGenerationBodySchema.safeParse(body);
    if (!parsed.success) throw new AppError("invalid", "Some fields need fixing.", { fieldErrors: fieldErrorsOf(parsed.error) });
    const ctx = await appContext();
    const { generation, created } = await createFromSpec(ctx, { spec: parsed.data, idempotencyKey: key?.data }, { client, limits: env().limits });
    return Response.json(generation, { status: created ? 201 : 200 });
  });
}
