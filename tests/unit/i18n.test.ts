import { createTranslator } from "next-intl";
import { describe, expect, test } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ko from "@/lib/i18n/messages/ko.json";
import { negotiateLocale } from "@/lib/i18n/config";
import { CODES_BY_MEANING, CONTRACT_MESSAGE_KEYS, contractMessageKey } from "@/lib/i18n/contract-messages";
import { MODEL_IDS } from "@/lib/seedance/models";
import { capabilityIssues, generationSpecSchema, imageUrlProblem, type GenerationSpec } from "@/lib/seedance/schema";

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
    const same = new Set(["form.fps", "frame.url", "frame.size"]);
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

describe("contract messages in the creator's language", () => {
  const tEn = createTranslator({ locale: "en", messages: en, namespace: "contract" });
  const tKo = createTranslator({ locale: "ko", messages: ko, namespace: "contract" });

  const spec = (over: Partial<GenerationSpec>): GenerationSpec => ({ model: "doubao-seedance-1-0-pro-250528", prompt: "x", ...over }) as GenerationSpec;
  const ruleMessages = [
    ...capabilityIssues(spec({ model: "doubao-seedance-1-0-lite-t2v-250428", firstFrame: "https://a.example/x.png", resolution: "1080p", return_last_frame: true })),
    ...capabilityIssues(spec({ model: "doubao-seedance-1-0-lite-i2v-250428", generate_audio: true, duration: -1 })),
    ...capabilityIssues(spec({ model: "doubao-seedance-1-0-pro-fast-251015", firstFrame: "https://a.example/x.png", lastFrame: "https://a.example/y.png" })),
    ...capabilityIssues(spec({ lastFrame: "https://a.example/y.png", ratio: "adaptive" })),
    ...capabilityIssues(spec({ model: "doubao-seedance-1-5-pro-251215", duration: 3, frames: 29 })),
    ...capabilityIssues(spec({ duration: 5, frames: 29 })),
  ].map((issue) => issue.message);
  const fieldMessages = [
    { model: "doubao-seedance-1-0-pro-250528", prompt: "", resolution: "9p", frames: 30, seed: -2, fps: 30 },
    { model: "doubao-seedance-1-0-pro-250528", prompt: "x".repeat(1001) },
    { model: "doubao-seedance-1-0-pro-250528", prompt: "a\u0000b" },
  ].flatMap((input) => (generationSpecSchema.safeParse(input).error?.issues ?? []).map((issue) => issue.message));
  const imageMessages = [imageUrlProblem("http://a.example/x.png"), imageUrlProblem("not a url")].filter((m): m is string => Boolean(m));
  // Messages of the limits and the sign-in gate, as those modules word them.
  const serverMessages = [
    "Too many new clips from this session: at most 10 a minute.",
    "Too many new clips from this address: at most 3 a minute.",
    "20 clips are still being made (the limit is 20). Wait for some to finish.",
    "Today's budget of 50 clips is spent; it resets at midnight UTC.",
    "You are signed out. Reload the page and sign in again.",
    "Wrong password. 1 attempt left before a 15-minute lockout.",
    "Wrong password. 4 attempts left before a 15-minute lockout.",
    "Too many wrong passwords from your address. Try again in 15 min.",
    "Wrong password.",
    "Too many wrong passwords from this browser. Try again in 15 min.",
    "Many wrong passwords overall: sign-in is slowed to one try every few seconds. Try again in 7 s.",
    "SeeDance had an internal error. Try again in a minute.",
    'SeeDance had an internal error. Try again in a minute. SeeDance said: "boom"',
  ];

  test.each([...new Set([...ruleMessages, ...fieldMessages, ...imageMessages, ...serverMessages])])("%s", (message) => {
    const known = contractMessageKey(message);
    expect(known, "recognised").not.toBeNull();
    // The English entry reproduces the original exactly; the Korean one is filled and different.
    const key = known!.key as keyof typeof en.contract;
    expect(tEn(key, known!.params)).toBe(message);
    const korean = tKo(key, known!.params);
    expect(korean).not.toBe(message);
    expect(korean).not.toMatch(/\{\w+\}/);
  });

  test("every upstream error code shown by its meaning has an entry in both catalogues", () => {
    for (const code of CODES_BY_MEANING) {
      expect((en.upstreamErrors as Record<string, string>)[code], code).toBeTruthy();
      expect((ko.upstreamErrors as Record<string, string>)[code], code).toBeTruthy();
    }
  });

  test("every recognised message has an entry in both catalogues", () => {
    for (const key of CONTRACT_MESSAGE_KEYS) {
      expect((en.contract as Record<string, string>)[key], key).toBeTruthy();
      expect((ko.contract as Record<string, string>)[key], key).toBeTruthy();
    }
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
