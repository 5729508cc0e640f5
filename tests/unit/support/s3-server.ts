/**
 * A real S3-protocol server on loopback for tests (s3rver in its own process, files in a temp
 * folder: tests/scale/s3-server.mjs), and a store pointed at it the way a user would configure
 * MinIO: an endpoint, path-style addressing and access keys. s3rver checks the access key and
 * the expiry of signed URLs.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { s3Storage, type S3StoreConfig } from "@/lib/storage/s3";

/** s3rver's built-in account. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export const S3_SERVER_SCRIPT = path.resolve(import.meta.dirname, "../../scale/s3-server.mjs");

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  directory: string;
  config(over?: Partial<S3StoreConfig>): S3StoreConfig;
  store(over?: Partial<S3StoreConfig>): ReturnType<typeof s3Storage>;
  close(): Promise<void>;
}

export async function startS3Server({ bucket = "studio" }: { bucket?: string } = {}): Promise<TestS3Server> {
  const child = spawn(process.execPath, ["--openssl-legacy-provider", S3_SERVER_SCRIPT, "--bucket", bucket], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code}) before it listened`)));
  });
  const { endpoint, directory } = JSON.parse(first) as { endpoint: string; directory: string };
  const config = (over: Partial<S3StoreConfig> = {}): S3StoreConfig => ({
    bucket,
    endpoint,
    region: "us-east-1",
    prefix: "",
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    ...over,
  });
  return {
    endpoint,
    bucket,
    directory,
    config,
    store: (over) => s3Storage(config(over)),
    async close() {
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
