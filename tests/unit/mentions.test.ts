import { createTranslator } from "next-intl";
import { describe, expect, test } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ko from "@/lib/i18n/messages/ko.json";
import { renderError, type ErrorTranslator } from "@/lib/errors/render";
import type { ReferenceKind } from "@/lib/seedance/models";
import { insertMention, materialCounts, mentionMatches, mentionProblems, mentionQuery, mentionsIn, mentionText } from "@/lib/seedance/mentions";

/** Each mention as "kind n @start-end", with the text it covers, so a row reads at a glance. */
const found = (prompt: string) => mentionsIn(prompt).map((m) => `${m.kind} ${m.n} @${m.start}-${m.end} ${JSON.stringify(prompt.slice(m.start, m.end))}`);

describe("mentionsIn", () => {
  test.each<[string, string, string[]]>([
    ["the provider's own example", "the person in image 1 says to the camera: hello", ['image 1 @14-21 "image 1"']],
    ["one of each kind, in order", "image 1 runs like video 1 to audio 1", ['image 1 @0-7 "image 1"', 'video 1 @18-25 "video 1"', 'audio 1 @29-36 "audio 1"']],
    ["any case", "Image 2 and VIDEO 1", ['image 2 @0-7 "Image 2"', 'video 1 @12-19 "VIDEO 1"']],
    ["all the digits", "video 12 then image 30", ['video 12 @0-8 "video 12"', 'image 30 @14-22 "image 30"']],
    ["a leading zero counts as the number", "image 01", ['image 1 @0-8 "image 01"']],
    ["several spaces or a no-break space", "image  1, video\u00a02", ['image 1 @0-8 "image  1"', 'video 2 @10-17 "video\u00a02"']],
    ["the @ the menu was opened with stays outside the mention", "a fox like @image 1", ['image 1 @12-19 "image 1"']],
    ["angle brackets some gateways use", "<Image 1> walks", ['image 1 @1-8 "Image 1"']],
    ["punctuation around it", "(video 1), image 2. audio 3!", ['video 1 @1-8 "video 1"', 'image 2 @11-18 "image 2"', 'audio 3 @20-27 "audio 3"']],
    ["at the end of the text", "in the style of image 3", ['image 3 @16-23 "image 3"']],
    ["Korean around it, a particle right after the number", "image 1의 여우가 video 2처럼 달린다", ['image 1 @0-7 "image 1"', 'video 2 @13-20 "video 2"']],
    ["Korean right before it", "여우는image 1처럼", ['image 1 @3-10 "image 1"']],
    ["the same material twice", "image 1 then image 1 again", ['image 1 @0-7 "image 1"', 'image 1 @13-20 "image 1"']],
    ["image 0 is a mention (of nothing attachable)", "image 0", ['image 0 @0-7 "image 0"']],
  ])("%s", (_name, prompt, expected) => {
    expect(found(prompt)).toEqual(expected);
  });

  test.each([
    ["inside another word", "imaged 1, subvideo 2, myaudio 3"],
    ["a word right after the number", "video 1a, image 2nd"],
    ["a decimal or a thousands separator", "audio 5.1 surround, image 1,000 times"],
    ["no number", "an image of a fox, a video, some audio"],
    ["no space", "image1 video2"],
    ["a line break between word and number", "image\n1"],
    ["other words", "picture 1, clip 2, sound 3, frame 1"],
    ["Korean words (the provider reads the English wording)", "이미지 1의 여우가 영상 2처럼"],
  ])("nothing: %s", (_name, prompt) => {
    expect(mentionsIn(prompt)).toEqual([]);
  });

  test("offsets point into the text as typed, surrogate pairs included", () => {
    const prompt = "🦊 a fox, 🎬 video 1";
    const [mention] = mentionsIn(prompt);
    expect(prompt.slice(mention!.start, mention!.end)).toBe("video 1");
    expect(mention!.start).toBe(prompt.indexOf("video"));
  });
});

describe("mentionProblems", () => {
  const none = { image: 0, video: 0, audio: 0 };

  test("a mention of something attached is fine", () => {
    expect(mentionProblems("image 1 like video 1 to audio 2", { image: 1, video: 1, audio: 2 })).toEqual([]);
  });

  test("video 2 with one video attached", () => {
    expect(mentionProblems("image 1 like video 2", { image: 1, video: 1, audio: 0 })).toEqual([{ code: "mention_unattached", params: { kind: "video", n: 2 } }]);
  });

  test("each unattached material once, in the order first mentioned, whatever its case", () => {
    expect(mentionProblems("audio 1, Image 3, image 3 and video 1, then IMAGE 3", none)).toEqual([
      { code: "mention_unattached", params: { kind: "audio", n: 1 } },
      { code: "mention_unattached", params: { kind: "image", n: 3 } },
      { code: "mention_unattached", params: { kind: "video", n: 1 } },
    ]);
  });

  test("image 0 is never attached", () => {
    expect(mentionProblems("image 0", { image: 5, video: 0, audio: 0 })).toEqual([{ code: "mention_unattached", params: { kind: "image", n: 0 } }]);
  });

  test("Korean prompts", () => {
    expect(mentionProblems("image 1의 여우가 video 1처럼 달리고 audio 1 소리가 난다", { image: 1, video: 0, audio: 1 })).toEqual([
      { code: "mention_unattached", params: { kind: "video", n: 1 } },
    ]);
  });

  test("no mentions, no problems", () => {
    expect(mentionProblems("a fox in the snow", none)).toEqual([]);
  });

  test("the message names the material in both languages", () => {
    const [problem] = mentionProblems("like video 2", { image: 0, video: 1, audio: 0 });
    const english = renderError(createTranslator({ locale: "en", messages: en }) as unknown as ErrorTranslator, problem!);
    const korean = renderError(createTranslator({ locale: "ko", messages: ko }) as unknown as ErrorTranslator, problem!);
    expect(english).toContain("video 2");
    expect(korean).toContain("영상 2");
    const audio = renderError(createTranslator({ locale: "ko", messages: ko }) as unknown as ErrorTranslator, mentionProblems("audio 3", { image: 0, video: 0, audio: 0 })[0]!);
    expect(audio).toContain("오디오 3");
  });
});

describe("mentionText and materialCounts", () => {
  test.each<[ReferenceKind, number, string]>([
    ["image", 1, "image 1"],
    ["video", 2, "video 2"],
    ["audio", 10, "audio 10"],
  ])("%s %i is written %j, and reads back as itself", (kind, n, text) => {
    expect(mentionText(kind, n)).toBe(text);
    expect(mentionsIn(`like ${text}.`)).toEqual([{ kind, n, start: 5, end: 5 + text.length }]);
  });

  test("counts come from the spec's reference lists", () => {
    expect(materialCounts({ referenceImages: ["a", "b"], referenceVideos: ["c"] })).toEqual({ image: 2, video: 1, audio: 0 });
    expect(materialCounts({ referenceImages: null, referenceAudios: [] })).toEqual({ image: 0, video: 0, audio: 0 });
  });
});

describe("mentionQuery", () => {
  /** The caret where the "|" is, which is then taken out of the text. */
  const at = (typed: string) => mentionQuery(typed.replace("|", ""), typed.indexOf("|"));

  test.each([
    ["just the @", "a fox like @|", { start: 11, query: "" }],
    ["a partial word", "a fox like @im|", { start: 11, query: "im" }],
    ["the whole wording", "a fox like @video 2|", { start: 11, query: "video 2" }],
    ["the word and a space", "a fox like @image |", { start: 11, query: "image " }],
    ["a number alone", "@2|", { start: 0, query: "2" }],
    ["at the start of the text", "@au|", { start: 0, query: "au" }],
    ["after a line break", "a fox\n@|", { start: 6, query: "" }],
    ["after punctuation", "(@im|", { start: 1, query: "im" }],
    ["text after the caret that is not a word", "like @im| and then", { start: 5, query: "im" }],
    ["after Korean text and a space", "여우가 @이미|", { start: 4, query: "이미" }],
    ["right after Korean text", "여우가@|", { start: 3, query: "" }],
    ["the caret in the middle of a longer text", "@vi| runs like image 1", { start: 0, query: "vi" }],
  ])("%s", (_name, typed, expected) => {
    expect(at(typed)).toEqual(expected);
  });

  test.each([
    ["no @", "a fox like im|"],
    ["an e-mail address", "mail me@ex|"],
    ["a space right after the @", "like @ |"],
    ["a second word", "like @image one|"],
    ["past the number", "like @image 1 and|"],
    ["the caret inside the word", "like @ima|ge"],
    ["the caret before the @", "like |@im"],
    ["a long run after the @", `@${"a".repeat(30)}|`],
    ["punctuation after the @", "like @im.|"],
  ])("null: %s", (_name, typed) => {
    expect(at(typed)).toBeNull();
  });

  test("out-of-range carets", () => {
    expect(mentionQuery("@im", 0)).toBeNull();
    expect(mentionQuery("@im", 4)).toBeNull();
    expect(mentionQuery("@im", -1)).toBeNull();
    expect(mentionQuery("@im", Number.NaN)).toBeNull();
    expect(mentionQuery("", 0)).toBeNull();
  });
});

describe("mentionMatches", () => {
  const image1 = { kind: "image" as const, n: 1, label: "Image 1" };
  const video2 = { kind: "video" as const, n: 2, label: "영상 2" };

  test.each<[string, typeof image1 | typeof video2, boolean]>([
    ["", image1, true],
    ["im", image1, true],
    ["IMA", image1, true],
    ["image 1", image1, true],
    ["image1", image1, true],
    ["image 2", image1, false],
    ["vi", image1, false],
    ["1", image1, true],
    ["2", image1, false],
    ["영상", video2, true],
    ["영상 2", video2, true],
    ["video", video2, true],
    ["이미지", video2, false],
  ])("%j fits %j: %s", (query, material, fits) => {
    expect(mentionMatches(query, material)).toBe(fits);
  });

  test("without a label, the wording and the number", () => {
    expect(mentionMatches("aud", { kind: "audio", n: 3 })).toBe(true);
    expect(mentionMatches("3", { kind: "audio", n: 3 })).toBe(true);
    expect(mentionMatches("오디오", { kind: "audio", n: 3 })).toBe(false);
  });
});

describe("insertMention", () => {
  test.each([
    ["replaces the @ and the partial word, adds a space", "a fox like @im", { start: 11, query: "im" }, "image", 1, "a fox like image 1 ", 19],
    ["keeps the text after the caret", "like @vi and more", { start: 5, query: "vi" }, "video", 2, "like video 2 and more", 13],
    ["does not double a space already there", "like @ then", { start: 5, query: "" }, "audio", 1, "like audio 1 then", 13],
    ["adds a space before a line break", "like @\nnext", { start: 5, query: "" }, "image", 3, "like image 3 \nnext", 13],
    ["Korean after the caret", "@이미 여우가 달린다", { start: 0, query: "이미" }, "image", 1, "image 1 여우가 달린다", 8],
  ] as const)("%s", (_name, text, query, kind, n, next, caret) => {
    const result = insertMention(text, query, kind, n);
    expect(result).toEqual({ text: next, caret });
    // What was inserted reads back as the mention it names.
    expect(mentionsIn(result.text).some((m) => m.kind === kind && m.n === n)).toBe(true);
  });
});
