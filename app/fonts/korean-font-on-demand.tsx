"use client";

import { useEffect } from "react";
import { needsKoreanFont } from "@/lib/i18n/hangul";
import { whenIdle } from "@/lib/client/when-idle";

/** Where Hangul is not painted by the page's fonts: code, and the language picker's options (the browser draws its popup). */
const NOT_PAINTED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "OPTION"]);

const isField = (node: Node): node is HTMLInputElement | HTMLTextAreaElement => node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement;

/** Whether the node shows Hangul: its text, its descendants' text, or a field's value. */
function showsHangul(root: Node): boolean {
  if (root.nodeType === Node.TEXT_NODE) return !NOT_PAINTED.has(root.parentElement?.tagName ?? "") && needsKoreanFont(root.textContent ?? "");
  if (!(root instanceof Element) || NOT_PAINTED.has(root.tagName)) return false;
  if (isField(root)) return needsKoreanFont(root.value);
  for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")) if (needsKoreanFont(field.value)) return true;
  // Most nodes have none at all: one native read says so. Only text that has some is walked, to
  // leave out what is not painted (the language picker's 한국어, a script's text).
  if (!needsKoreanFont(root.textContent ?? "")) return false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node instanceof Element && NOT_PAINTED.has(node.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.nodeType === Node.TEXT_NODE && needsKoreanFont(node.textContent ?? "")) return true;
  return false;
}

/**
 * Adds the stylesheet the first time the page shows Hangul (a Korean prompt typed or pasted, a
 * clip or a page of clips arriving), unless the page already has it (korean-font.tsx). Not
 * before: its 351 @font-face rules join the family every element's text is matched against, and
 * the page's style and layout are computed again (100–150 ms of main thread on a phone), for a
 * page that may never show a Korean word.
 */
export function KoreanFontOnDemand({ href }: { href: string }) {
  useEffect(() => {
    const loaded = () => Boolean(document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`));
    if (loaded()) return;
    const observer = new MutationObserver((records) => {
      if (records.some((r) => (r.type === "characterData" ? showsHangul(r.target) : [...r.addedNodes].some(showsHangul)))) add();
    });
    const onInput = (event: Event) => {
      if (event.target instanceof Node && isField(event.target) && needsKoreanFont(event.target.value)) add();
    };
    // Hangul the server's HTML had without asking for the stylesheet: read once the page is idle,
    // not in the hydration this effect runs in (a walk of the whole page).
    const checkPage = () => showsHangul(document.body) && add();
    const cancelCheck = whenIdle(checkPage, 3000);
    // One way out, whichever comes first: the stylesheet added, or the page left.
    const stop = () => {
      observer.disconnect();
      document.removeEventListener("input", onInput, true);
      cancelCheck();
    };
    function add() {
      stop();
      if (loaded()) return;
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.append(link);
    }
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    document.addEventListener("input", onInput, true);
    return stop;
  }, [href]);
  return null;
}
