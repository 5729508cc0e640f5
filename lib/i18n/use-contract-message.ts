"use client";

import { useTranslations } from "next-intl";
import { contractMessageKey } from "./contract-messages";

/** Codes whose meaning is the same whatever the message (others are read from the message). */
const CODES_BY_MEANING = new Set(["invalid_token", "token_expired", "used_up", "too_many_requests", "request_too_large", "expired", "task_not_found"]);

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
