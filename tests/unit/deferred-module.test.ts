import { describe, expect, it, vi } from "vitest";
import { deferredModule } from "@/lib/client/deferred-module";

describe("deferredModule", () => {
  it("imports once however often it is asked, and is readable synchronously afterwards", async () => {
    const importer = vi.fn(async () => ({ answer: 42 }));
    const deferred = deferredModule(importer);
    expect(deferred.current).toBeUndefined();
    expect(importer).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([deferred.load(), deferred.load()]);
    expect(a).toBe(b);
    expect(deferred.current).toEqual({ answer: 42 });
    await deferred.load();
    expect(importer).toHaveBeenCalledTimes(1);
  });
});
