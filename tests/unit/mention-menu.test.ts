import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import { describe, expect, test } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import ko from "@/lib/i18n/messages/ko.json";
import { MentionedMaterials, MentionMenu, type MentionMaterial } from "@/components/composer/mention-menu";

/*
 * The project has no DOM environment for units (no jsdom, no Testing Library): the menu's keys and
 * listeners are not exercised here, only what the components render on the server. The rules they
 * draw on are tested in mentions.test.ts.
 */

const html = (locale: "en" | "ko", node: ReactNode) =>
  renderToStaticMarkup(
    // The props' type requires children, and a .test.ts has no JSX to nest them with.
    // eslint-disable-next-line react/no-children-prop
    createElement(NextIntlClientProvider, { locale, messages: locale === "en" ? en : ko, timeZone: "UTC", children: node }),
  );

const materials: MentionMaterial[] = [
  { kind: "image", n: 1, label: "Image 1", thumb: "data:image/png;base64,AAAA" },
  { kind: "video", n: 1, label: "Video 1" },
];

describe("MentionedMaterials", () => {
  test("nothing mentioned, nothing drawn", () => {
    expect(html("en", createElement(MentionedMaterials, { prompt: "a fox in the snow", materials }))).toBe("");
  });

  test("a chip per material, once, in the order first mentioned, with its thumb", () => {
    const out = html("en", createElement(MentionedMaterials, { prompt: "video 1 then image 1, like video 1", materials }));
    const chips = [...out.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ""));
    expect(chips).toEqual(["Video 1", "Image 1"]);
    expect(out).toContain('src="data:image/png;base64,AAAA"');
    expect(out).toContain('aria-label="Materials the prompt mentions"');
    expect(out).not.toContain("red");
  });

  test("a mention of something not attached is an error, with its reason, in the creator's language", () => {
    const english = html("en", createElement(MentionedMaterials, { prompt: "image 1 like video 2", materials }));
    expect(english).toContain("Video 2");
    expect(english).toContain("(not attached)");
    expect(english).toContain("The prompt mentions video 2, which is not attached");
    const korean = html("ko", createElement(MentionedMaterials, { prompt: "image 1의 여우가 audio 1처럼", materials }));
    expect(korean).toContain("오디오 1");
    expect(korean).toContain("(첨부되지 않음)");
    expect(korean).toContain("프롬프트가 첨부되지 않은 자료를 언급합니다: 오디오 1.");
  });
});

describe("MentionMenu", () => {
  test("closed until an @ is typed: no listbox, an empty live line", () => {
    const out = html("en", createElement(MentionMenu, { textarea: null, materials, onInsert: () => undefined }));
    expect(out).not.toContain('role="listbox"');
    expect(out).toContain('aria-live="polite"');
  });
});
