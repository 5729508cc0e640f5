import { describe, expect, test } from "vitest";
import type { ActionResult } from "@/lib/errors";
import type { Generation } from "@/lib/dto/generation";
import { sendBatch, type BatchProgress } from "@/components/composer/send-batch";

const made = (i: number) => ({ ok: true, data: { id: `g_${i}` } as Generation }) as const;
const limited = (retryAfterSec: number): ActionResult<Generation> => ({ ok: false, kind: "rate_limited", code: "rate_limited", message: "Too many new clips.", retryAfterSec }) as ActionResult<Generation>;

describe("a batch of variations", () => {
  test("stopped by the rate limit after three, waits the server's time and sends the fourth", async () => {
    const answers = [made(0), made(1), made(2), limited(6), made(3)];
    const progress: BatchProgress[] = [];
    const slept: number[] = [];
    const created: string[] = [];
    const outcome = await sendBatch({
      specs: [0, 1, 2, 3],
      create: async () => answers.shift()!,
      onCreated: (g) => created.push(g.id),
      onProgress: (p) => progress.push(p),
      sleep: async (ms) => void slept.push(ms),
      now: () => 1000,
    });
    expect(outcome).toEqual({ ok: true, started: 4 });
    expect(created).toEqual(["g_0", "g_1", "g_2", "g_3"]);
    expect(slept).toEqual([6000]);
    expect(progress).toContainEqual({ state: "waiting", started: 3, total: 4, until: 7000 });
  });

  test("another refusal ends it, saying how many started", async () => {
    const refused = { ok: false, kind: "invalid", code: "prompt_missing", params: {}, message: "No prompt." } as unknown as ActionResult<Generation>;
    const answers = [made(0), refused];
    const outcome = await sendBatch({ specs: [0, 1, 2], create: async () => answers.shift()!, onCreated: () => {}, onProgress: () => {}, sleep: async () => {} });
    expect(outcome).toMatchObject({ ok: false, started: 1, failure: { code: "prompt_missing" } });
  });

  test("a single clip's rate limit goes straight back to the form, and so does a wait too long to sit out", async () => {
    const single = await sendBatch({ specs: [0], create: async () => limited(5), onCreated: () => {}, onProgress: () => {}, sleep: async () => {} });
    expect(single).toMatchObject({ ok: false, started: 0 });
    const long = await sendBatch({ specs: [0, 1], create: async () => limited(3600), onCreated: () => {}, onProgress: () => {}, sleep: async () => {} });
    expect(long).toMatchObject({ ok: false, started: 0, failure: { retryAfterSec: 3600 } });
  });
});
