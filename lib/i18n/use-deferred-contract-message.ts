"use client";

import { useTranslations } from "next-intl";
import { deferredModule } from "@/lib/client/deferred-module";

/** The message catalogue, fetched when the studio form is first touched. */
export const contractMessages = deferredModule(() => import("./contract-messages"));

/**
 * `useContractMessage` for the studio form, whose messages only appear after the creator acts:
 * the catalogue's patterns stay out of the page's first load. Until it has arrived a message
 * shows as written.
 */
export function useDeferredContractMessage() {
  const t = useTranslations("contract");
  const upstream = useTranslations("upstreamErrors");
  const catalogue = contractMessages.useModule();
  return (message: string | undefined, code?: string | null): string | undefined =>
    message && catalogue ? catalogue.translateContractMessage({ t, upstream }, message, code) : message;
}
