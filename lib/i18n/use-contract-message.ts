"use client";

import { useTranslations } from "next-intl";
import { CODES_BY_MEANING, contractMessageKey } from "./contract-messages";


/** Shows a contract or upstream message in the creator's language (as written when unknown). */
export function useContractMessage() {
  const t = useTranslations("contract");
  const upstream = useTranslations("upstreamErrors");
  return (message: string | undefined, code?: string | null): string | undefined => {
    if (!message) return message;
    if (code && CODES_BY_MEANING.has(code) && upstream.has(code)) return upstream(code);
    const known = contractMessageKey(message);
    return known ? t(known.key, known.params) : message;
  };
}
