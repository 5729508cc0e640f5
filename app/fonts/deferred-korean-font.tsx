"use client";

import { useEffect } from "react";

/** Adds the stylesheet when the browser is idle after the load, unless the page already has it (korean-font.tsx). */
export function DeferredKoreanFont({ href }: { href: string }) {
  useEffect(() => {
    const add = () => {
      if (document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) return;
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.append(link);
    };
    if (typeof requestIdleCallback !== "function") {
      const timer = setTimeout(add, 1000);
      return () => clearTimeout(timer);
    }
    const idle = requestIdleCallback(add, { timeout: 3000 });
    return () => cancelIdleCallback(idle);
  }, [href]);
  return null;
}
