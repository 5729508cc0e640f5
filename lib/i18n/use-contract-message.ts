"use client";

import { useTranslations } from "next-intl";
import { translateContractMessage } from "./contract-messages";

/** Shows a contract or upstream message in the creator's language (as written when unknown). */
export function useContractMessage() {
  const t = useTranslations("contract");
  const upstream = useTranslations("upstreamErrors");
  return (message: string | undefined, code?: string | null): string | undefined =>
    message ? translateContractMessage({ t, upstream }, message, code) : message;
}
