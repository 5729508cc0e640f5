/**
 * `npm run storage:copy [-- --from <folder>] [--dry-run] [--quiet]`: copies this machine's media
 * (DATA_DIR/media, or --from) into the bucket S3_BUCKET names (the same S3_* and AWS_*
 * variables as the server), so a studio that outgrows one machine keeps its clips. Resumable:
 * what is already there with the same sha256 is skipped. Exits 1 when anything failed.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { env } from "@/lib/env";
import { copyStore } from "@/lib/storage/copy";
import { formatBytes } from "@/lib/storage";
import { fsStorage } from "@/lib/storage/fs";
import { normalizePrefix, s3Storage } from "@/lib/storage/s3";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
  });
  const config = env();
  if (config.storage.kind !== "s3") {
    console.error("storage:copy needs the bucket to copy into: set S3_BUCKET (and S3_ENDPOINT, S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY as the server uses them).");
    return 2;
  }
  const source = path.resolve(values.from ?? config.mediaDir);
  const where = `s3://${config.storage.bucket}/${normalizePrefix(config.storage.prefix)}`;
  console.log(`${values["dry-run"] ? "Would copy" : "Copying"} ${source} -> ${where}${config.storage.endpoint ? ` at ${config.storage.endpoint}` : ""}`);
  const report = await copyStore({
    from: fsStorage(source),
    to: s3Storage(config.storage),
    dryRun: values["dry-run"],
    onObject: (key, outcome, detail) => {
      if (!values.quiet || outcome === "failed") console.log(`  ${outcome.padEnd(8)} ${key} (${detail})`);
    },
  });
  const verb = values["dry-run"] ? "would copy" : "copied";
  console.log(
    `${verb} ${report.copied} new and ${report.replaced} changed object(s), ${report.copiedBytes > 0 ? formatBytes(report.copiedBytes) : "0 bytes"}; skipped ${report.skipped} already there; ${report.failed.length} failed.`,
  );
  return report.failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
