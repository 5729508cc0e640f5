import { randomBytes } from "node:crypto";

/** A random public id with a kind prefix (`g_` clips, `sb_` storyboards, `sh_` shares): 96 bits, URL-safe. */
export function newId(prefix = "g"): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}
