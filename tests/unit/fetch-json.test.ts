/**
 * The browser's calls to our API keep the server's coded error, so a Korean creator reads a
 * refused storyboard save or export in Korean rather than the answer's English `message`.
 */
import { createTranslator } from "next-intl";
import { afterEach, describe, expect, test, vi } from "vitest";
import { renderError, type ErrorTranslator } from "@/lib/errors/render";
import ko from "@/lib/i18n/messages/ko.json";
import { asErrorLike, fetchJson, FetchError } from "@/lib/query/client";

const korean = createTranslator({ locale: "ko", messages: ko }) as unknown as ErrorTranslator;

afterEach(() => vi.unstubAllGlobals());

const failed = async (answer: () => Promise<Response>) => {
  vi.stubGlobal("fetch", vi.fn(answer));
  return fetchJson("/api/storyboards/sb_1").then(
    () => {
      throw new Error("expected a FetchError");
    },
    (error: unknown) => error as FetchError,
  );
};

describe("fetchJson", () => {
  test("a coded error answer keeps its code and params, and renders from the Korean catalogue", async () => {
    const error = await failed(async () =>
      Response.json({ error: { kind: "rate_limited", code: "daily_limit", params: { max: 40 }, message: "Daily limit of 40 clips reached." } }, { status: 429 }),
    );
    expect(error).toBeInstanceOf(FetchError);
    expect({ status: error.status, code: error.code, params: error.params }).toEqual({ status: 429, code: "daily_limit", params: { max: 40 } });
    const text = renderError(korean, asErrorLike(error));
    expect(text).toContain("40");
    expect(text).not.toContain("Daily limit");
    expect(text).toMatch(/[\uac00-\ud7a3]/);
  });

  test("an answer without a coded body (a proxy's HTML page) is the generic internal error, not a status line in English", async () => {
    const error = await failed(async () => new Response("<html>Bad gateway</html>", { status: 502 }));
    expect(renderError(korean, asErrorLike(error))).toBe(ko.errors.internal);
  });

  test("a server that cannot be reached is its own coded error", async () => {
    const error = await failed(async () => {
      throw new TypeError("fetch failed");
    });
    expect(error.code).toBe("server_unreachable");
    expect(renderError(korean, asErrorLike(error))).toBe(ko.errors.server_unreachable);
  });
});
