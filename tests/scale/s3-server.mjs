#!/usr/bin/env node
// A real S3-protocol server (s3rver) on loopback, for tests and for trying several instances by
// hand:  node --openssl-legacy-provider tests/scale/s3-server.mjs [--port 4568] [--dir /tmp/s3] [--bucket studio]
// Prints one JSON line ({"endpoint", "bucket", "directory"}) once it listens; stops on SIGTERM/SIGINT.
// The legacy provider is for s3rver's listing tokens (DES, off by default in OpenSSL 3).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import S3rver from "s3rver";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    dir: { type: "string" },
    bucket: { type: "string", default: "studio" },
  },
});
const directory = values.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "seedance-s3rver-"));
fs.mkdirSync(directory, { recursive: true });
const server = new S3rver({
  address: "127.0.0.1",
  port: Number(values.port),
  silent: process.env.S3RVER_LOG !== "1",
  directory,
  configureBuckets: [{ name: values.bucket }],
});
const address = await server.run();
process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${address.port}`, bucket: values.bucket, directory })}\n`);
const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
