import { createTranslator } from "next-intl";
import { describe, expect, test } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ko from "@/lib/i18n/messages/ko.json";
import { negotiateLocale } from "@/lib/i18n/config";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors/app-error";
import { ERROR_CODE_LIST, ERROR_CODES, isErrorCode } from "@/lib/errors/codes";
import { renderError, type ErrorTranslator } from "@/lib/errors/render";
import { describeUpstreamError, SEEDANCE_ERROR_CODES } from "@/lib/seedance/errors";
import { MODEL_IDS } from "@/lib/seedance/models";

type Tree = { [key: string]: string | Tree };
function keysOf(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`)));
}
/** Every string of a catalogue by its dotted key. */
function stringsOf(tree: Tree): Record<string, string> {
  return Object.fromEntries(keysOf(tree).map((k) => [k, k.split(".").reduce<unknown>((t, p) => (t as Tree)[p], tree) as string]));
}
/** ICU argument names (`{name}`, `{name, plural, ...}`), not select/plural branch bodies. */
function placeholders(text: string): string[] {
  const choice = text.search(/, (?:select|plural),/);
  const branchKeys = new Set(choice < 0 ? [] : [...text.slice(choice).matchAll(/(\w+) \{/g)].map((m) => m[1]!));
  return [...new Set([...text.matchAll(/\{(\w+)[},]/g)].map((m) => m[1]!))].filter((name) => !branchKeys.has(name)).sort();
}

describe("message catalogues", () => {
  test("Korean and English have exactly the same keys", () => {
    expect(keysOf(ko as Tree).sort()).toEqual(keysOf(en as Tree).sort());
  });

  test("every Korean string uses the same placeholders as its English twin, and none is left in English", () => {
    const flatEn = stringsOf(en as Tree);
    const flatKo = stringsOf(ko as Tree);
    // Product names, formats and units that read the same in both languages.
    const same = new Set(["form.fps", "frame.url", "frame.size", "modelBadges.4k"]);
    for (const [key, english] of Object.entries(flatEn)) {
      expect(placeholders(flatKo[key]!), key).toEqual(placeholders(english));
      if (!same.has(key)) expect(flatKo[key], key).not.toBe(english);
    }
  });

  test("plural counts are printed as {name}, never #, which builds an Intl.NumberFormat during the first render (see lib/i18n/numbers.ts)", () => {
    for (const [name, catalogue] of [["en", en], ["ko", ko]] as const) {
      for (const [key, text] of Object.entries(stringsOf(catalogue as Tree))) expect(text.includes("#"), `${name} ${key}`).toBe(false);
    }
    const t = createTranslator({ locale: "en", messages: en });
    expect(t("form.variationCount", { count: 1 })).toBe("1 clip");
    expect(t("form.variationCount", { count: 3 })).toBe("3 clips, distinct seeds");
    expect(t("form.expiryHours", { hours: 24 })).toBe("24 hours");
  });

  test("every model has a description in both languages", () => {
    for (const id of MODEL_IDS) {
      expect((en.models as Record<string, string>)[id]).toBeTruthy();
      expect((ko.models as Record<string, string>)[id]).toBeTruthy();
    }
  });
});

describe("every error in both languages", () => {
  // Generated from the source of truth: the code table (lib/errors/codes.ts) and the catalogues.
  const catalogues = { en, ko } as const;
  const entries = (lang: keyof typeof catalogues) => (catalogues[lang] as unknown as { errors: Record<string, string> }).errors;

  test.each(ERROR_CODE_LIST)("%s has an entry with exactly its params, in English and Korean", (code) => {
    const params = [...ERROR_CODES[code].params].sort();
    for (const lang of ["en", "ko"] as const) {
      const text = entries(lang)[code];
      expect(text, `${lang} errors.${code}`).toBeTruthy();
      expect(placeholders(text!), `${lang} errors.${code}`).toEqual(params);
    }
    // Rendered with values, each reads as a sentence with nothing left unfilled, and the Korean is not the English.
    const values = Object.fromEntries(params.map((name) => [name, 2]));
    const english = renderError(createTranslator({ locale: "en", messages: en }) as unknown as ErrorTranslator, { code, params: values });
    const korean = renderError(createTranslator({ locale: "ko", messages: ko }) as unknown as ErrorTranslator, { code, params: values });
    expect(english).not.toMatch(/\{\w+[},]|^errors\./);
    expect(korean).not.toMatch(/\{\w+[},]|^errors\./);
    expect(korean).not.toBe(english);
  });

  test("the catalogues hold no error the table does not list", () => {
    for (const lang of ["en", "ko"] as const) expect(Object.keys(entries(lang)).sort()).toEqual([...ERROR_CODE_LIST].sort());
  });

  test("every code a module raises is in the table (the types refuse others too)", () => {
    const raised = new Set<string>();
    const files = ["lib", "app", "components"].flatMap((dir) => fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => path.join(dir, f)));
    for (const file of files.filter((f) => /\.tsx?$/.test(f))) {
      const source = fs.readFileSync(file, "utf8");
      for (const match of source.matchAll(/\b(?:AppError|coded|issueText)\(\s*"([a-z0-9_]+)"/g)) raised.add(match[1]!);
      for (const match of source.matchAll(/new SeedanceError\(\{\s*code: "([a-z0-9_]+)"/g)) raised.add(match[1]!);
    }
    expect(raised.size).toBeGreaterThan(50);
    expect([...raised].filter((code) => !isErrorCode(code))).toEqual([]);
    // @ts-expect-error: a code the table does not list cannot be raised.
    expect(() => new AppError("no_such_code")).toThrow();
  });

  test("every upstream code, and every status without one, maps to a listed code", () => {
    for (const [upstream, ours] of Object.entries(SEEDANCE_ERROR_CODES)) {
      expect(isErrorCode(ours), upstream).toBe(true);
      expect(describeUpstreamError(upstream, "x", 400).code).toBe(ours);
    }
    for (let status = 100; status < 600; status++) expect(isErrorCode(describeUpstreamError("unknown_code", "x", status).code), String(status)).toBe(true);
    for (const text of ["InputImageSensitiveContentDetected.PrivacyInformation", "OutputVideoSensitiveContentDetected", "InputTextSensitiveContentDetected"]) {
      expect(isErrorCode(describeUpstreamError("api_error", text).code), text).toBe(true);
    }
    expect(describeUpstreamError(undefined, undefined).code).toBe("upstream_error");
  });

  test("an old row (a code and an English message, no params) shows its message as stored", () => {
    const t = createTranslator({ locale: "ko", messages: ko }) as unknown as ErrorTranslator;
    expect(renderError(t, { code: "api_error", message: "SeeDance had an internal error. Try again in a minute." })).toBe("SeeDance had an internal error. Try again in a minute.");
    expect(renderError(t, { code: "api_error", params: {}, detail: "boom", message: "x" })).toBe(`${ko.errors.api_error} SeeDance 메시지: "boom"`);
  });
});

describe("locale from the browser", () => {
  test.each([
    [null, "en"],
    ["ko-KR,ko;q=0.9,en-US;q=0.8", "ko"],
    ["en-US,en;q=0.9,ko;q=0.8", "en"],
    ["fr-FR,ko;q=0.5", "ko"],
    ["fr-FR,de;q=0.5", "en"],
    ["en;q=0.2,ko;q=0.8", "ko"],
  ])("%s -> %s", (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});

describe("needsKoreanFont", () => {
  test("is true for Hangul, Hanja and CJK punctuation, false for Latin, accents and emoji", async () => {
    const { needsKoreanFont } = await import("@/lib/i18n/hangul");
    for (const text of ["눈 덮인 숲", "ㅋㅋ", "漢字", "「引用」", "Ｆｕｌｌ"]) expect(needsKoreanFont(`a fox ${text}`), text).toBe(true);
    for (const text of ["a fox in snow", "crème brûlée", "🦊 --rs 480p", ""]) expect(needsKoreanFont(text), text).toBe(false);
  });
});
