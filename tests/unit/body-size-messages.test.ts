/**
 * A body over a route's cap is a 413 that names the cap in units a person reads: the storyboard
 * routes (64 KB) once said "larger than 0 MB", and the create route's streamed check 46080 KB.
 */
import type { AppError } from "@/lib/errors";
import { englishMessage } from "@/lib/errors/english";
import { describe, expect, it } from "vitest";
import { readJsonBody, readTextCapped } from "@/lib/http/body";

const declaredOver = (maxBytes: number) =>
  new Request("http://studio.test/x", { method: "POST", body: "{}", headers: { "content-type": "application/json", "content-length": String(maxBytes + 1) } });
/** A body without Content-Length (chunked), so only the streamed count can catch it. */
const streamedOver = (maxBytes: number) =>
  new Request("http://studio.test/x", {
    method: "POST",
    body: new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(maxBytes + 1).fill(32)), c.close()) }),
    duplex: "half",
  } as RequestInit);

async function messageOf(promise: Promise<unknown>): Promise<{ status: number; message: string; field: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as AppError;
    return { status: e.httpStatus, message: e.message, field: e.fieldErrors?._?.[0] && englishMessage(e.fieldErrors._[0]) };
  }
  throw new Error("the body was accepted");
}

describe("413 messages", () => {
  it.each([
    [1024, "1 KB"],
    [64 * 1024, "64 KB"],
    [1024 * 1024, "1 MB"],
    [1.5 * 1024 * 1024, "1.5 MB"],
    [45 * 1024 * 1024, "45 MB"],
  ])("a cap of %i bytes is called %s, whether declared or streamed", async (maxBytes, words) => {
    for (const [how, request] of [["declared", () => readJsonBody(declaredOver(maxBytes), maxBytes)], ["streamed", () => readTextCapped(streamedOver(maxBytes), maxBytes)]] as const) {
      const { status, message, field } = await messageOf(request());
      expect(status, how).toBe(413);
      expect(message, how).toBe(`The request body is larger than ${words}.`);
      expect(field, how).toBe(message);
    }
  });
});
