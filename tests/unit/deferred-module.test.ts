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

  it("asks again after a failed fetch instead of keeping the failure", async () => {
    const importer = vi.fn().mockRejectedValueOnce(new Error("connection dropped")).mockResolvedValueOnce({ answer: 7 });
    const deferred = deferredModule(importer as () => Promise<{ answer: number }>);
    await expect(deferred.load()).rejects.toThrow("connection dropped");
    expect(deferred.current).toBeUndefined();
    await expect(deferred.load()).resolves.toEqual({ answer: 7 });
    expect(importer).toHaveBeenCalledTimes(2);
  });
});
