/** The one error vocabulary: see ./codes (the table), ./app-error (the type), ./render (the words). */
export { AppError, codedOf, type ErrorExtra } from "./app-error";
export type { ActionFailure, ActionResult } from "./action-result";
export {
  coded,
  ERROR_CODE_LIST,
  ERROR_CODES,
  ERROR_KINDS,
  isErrorCode,
  issueText,
  type Coded,
  type ErrorCode,
  type ErrorKind,
  type ErrorParams,
  type FieldErrors,
} from "./codes";
