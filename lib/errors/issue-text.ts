import type { Coded, ErrorCode, ParamArgs } from "./codes";

/*
 * Validation messages: zod (and react-hook-form after it) carry an issue's message as one string,
 * so a coded error travels in it as `@code {"param":value}` and is read back with the same codec.
 * Type-only imports: the browser's form reads these without the code table.
 */

const ISSUE_TEXT = /^@([a-z0-9_]+)(?: (\{.*\}))?$/s;

/** A coded error as the message of a zod issue. */
export function issueText<C extends ErrorCode>(code: C, ...[params]: ParamArgs<C>): string {
  return params && Object.keys(params).length ? `@${code} ${JSON.stringify(params)}` : `@${code}`;
}

/** A coded error (a server's field error) as the same text, for a form library that holds strings. */
export function textOfCoded(error: Coded): string {
  return (issueText as (code: string, params?: object) => string)(error.code, error.params);
}

/** The coded error an issue message carries, or null for a message that is not one of ours. */
export function codedFromIssueText(text: string | null | undefined): Coded | null {
  const match = text ? ISSUE_TEXT.exec(text) : null;
  if (!match) return null;
  let params: unknown = {};
  try {
    params = match[2] ? JSON.parse(match[2]) : {};
  } catch {
    return null;
  }
  if (!params || typeof params !== "object" || Array.isArray(params)) return null;
  return { code: match[1], params } as Coded;
}
