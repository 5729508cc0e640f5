"use client";

import { createContext, useCallback, useContext, type ReactNode } from "react";
import { useLocale } from "next-intl";
import { formatNumber, numberKey, type NumberStyle, type PreformattedNumbers } from "./numbers";

const Preformatted = createContext<PreformattedNumbers>({});

/** Numbers the server formatted for this page (see lib/i18n/numbers.ts). */
export function PreformattedNumbersProvider({ numbers, children }: { numbers: PreformattedNumbers; children: ReactNode }) {
  return <Preformatted.Provider value={numbers}>{children}</Preformatted.Provider>;
}

/** Formats a number in one of the interface's styles, reusing the server's text when it has it. */
export function useFormatNumber(): (value: number, style: NumberStyle) => string {
  const locale = useLocale();
  const preformatted = useContext(Preformatted);
  return useCallback((value, style) => preformatted[numberKey(value, style)] ?? formatNumber(locale, value, style), [locale, preformatted]);
}
