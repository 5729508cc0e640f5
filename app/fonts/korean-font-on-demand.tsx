"use client";

import { useEffect } from "react";
import { needsKoreanFont } from "@/lib/i18n/hangul";

/** Where Hangul is not painted by the page's fonts: code, and the language picker's options (the browser draws its popup). */
const NOT_PAINTED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "OPTION"]);

const isField = (node: Node): node is HTMLInputElement | HTMLTextAreaElement => node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement;

/** Whether the node shows Hangul: its text, its descendants' text, or a field's value. */
function showsHangul(root: Node): boolean {
  if (root.nodeType === Node.TEXT_NODE) return !NOT_PAINTED.has(root.parentElement?.tagName ?? "") && needsKoreanFont(root.textContent ?? "");
  if (!(root instanceof Element) || NOT_PAINTED.has(root.tagName)) return false;
  if (isField(root)) return needsKoreanFont(root.value);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node instanceof Element && NOT_PAINTED.has(node.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE ? needsKoreanFont(node.textContent ?? "") : isField(node) && needsKoreanFont(node.value)) return true;
  }
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
    const stop = () => {
      observer.disconnect();
      document.removeEventListener("input", onInput, true);
    };
    function add() {
      stop();
      if (loaded()) return;
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.append(link);
    }
    // Hangul the server's HTML had without the stylesheet (a page that did not ask for it up front).
    if (showsHangul(document.body)) return add();
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    document.addEventListener("input", onInput, true);
    return stop;
  }, [href]);
  return null;
}
