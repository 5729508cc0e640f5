import "server-only";
import { kindOf, type Coded } from "@/lib/errors/codes";
import { englishMessage } from "@/lib/errors/english";
import type { GenerationRow } from "@/lib/db/schema";

type ErrorColumns = Pick<GenerationRow, "errorKind" | "errorCode" | "errorParams" | "errorDetail" | "errorMessage">;

/** A failure as a row stores it: kind, code and params to render, and their English beside them. */
export function errorColumns(error: Coded): ErrorColumns {
  return {
    errorKind: kindOf(error.code),
    errorCode: error.code,
    errorParams: error.params,
    errorDetail: error.detail ?? null,
    errorMessage: englishMessage(error),
  };
}

/** A row without a failure (a retried download, a late success). */
export const NO_ERROR: ErrorColumns = { errorKind: null, errorCode: null, errorParams: null, errorDetail: null, errorMessage: null };
