import "server-only";
import { AppError, coded } from "@/lib/errors";
import { formatBytes } from "@/lib/text";

function tooLarge(maxBytes: number): AppError {
  const size = formatBytes(maxBytes);
  return new AppError("body_too_large", { size }, { fieldErrors: { _: [coded("body_too_large", { size })] } });
}

/** Reads a JSON body with a byte cap, without trusting Content-Length alone. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    throw tooLarge(maxBytes);
  }
  const text = await readTextCapped(request, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("body_not_json", {}, { fieldErrors: { _: [coded("body_not_json")] } });
  }
}

export async function readTextCapped(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
