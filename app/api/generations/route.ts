import { env } from "@/lib/env";
import { AppError, coded } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/errors/zod";
import { readJsonBody } from "@/lib/http/body";
import { appContext } from "@/lib/app/context";
import { createFromSpec, idempotencyKeySchema } from "@/lib/generations/create";
import { listPage } from "@/lib/generations/read";
import { guardRoute } from "@/lib/http/route-guard";
import { createGenerationBodySchema } from "@/lib/seedance/schema";

/** One image at the contract's 30 MB as base64, and the rest of the request. */
const MAX_BODY_BYTES = 45 * 1024 * 1024;

/** Outside the proxy (see `config.matcher` in proxy.ts): Next would copy and cut its big bodies. */
const access = { access: "signed-in", outsideProxy: true } as const;

/** Newest first, cursor-paginated: ?limit=&cursor=&status=running,queued&model=&q= */
export const GET = guardRoute(access, async (request) => {
  const ctx = await appContext();
  const query = Object.fromEntries(new URL(request.url).searchParams.entries());
  return Response.json(await listPage(ctx, query));
});

/** Creates a generation from the upstream's own request body (no callback_url: that is ours). */
export const POST = guardRoute({ ...access, json: true }, async (request, { client }) => {
  const keyHeader = request.headers.get("idempotency-key");
  const key = keyHeader === null ? undefined : idempotencyKeySchema.safeParse(keyHeader);
  if (key && !key.success) throw new AppError("idempotency_key_invalid", {}, { fieldErrors: { "Idempotency-Key": [coded("idempotency_key_invalid")] } });
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  const parsed = createGenerationBodySchema.safeParse(body);
  if (!parsed.success) throw new AppError("fields_invalid", {}, { fieldErrors: fieldErrorsFromZod(parsed.error) });
  const ctx = await appContext();
  const { generation, created } = await createFromSpec(ctx, { spec: parsed.data, idempotencyKey: key?.data }, { client, limits: env().limits });
  return Response.json(generation, { status: created ? 201 : 200 });
});
