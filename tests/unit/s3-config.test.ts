/**
 * Turning the object store on: the S3_* and AWS_* variables as lib/env.ts reads them (and the
 * mistakes it refuses), the secret kept out of logs, and MEDIA_DELIVERY=redirect's bucket let
 * through the CSP's media-src (a player follows the redirect).
 */
import { afterEach, describe, expect, test } from "vitest";
import { env, resetEnvForTests } from "@/lib/env";
import { scrubSecrets } from "@/lib/log";
import { contentSecurityPolicy, redirectMediaSources } from "@/lib/security/headers";

const NAMES = ["S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "S3_PREFIX", "S3_FORCE_PATH_STYLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "MEDIA_DELIVERY"];

function withEnv(values: Record<string, string>) {
  for (const name of NAMES) delete process.env[name];
  Object.assign(process.env, values);
  resetEnvForTests();
  return env;
}

afterEach(() => {
  for (const name of NAMES) delete process.env[name];
  resetEnvForTests();
});

describe("S3 configuration", () => {
  test("unset: media stay on disk under DATA_DIR and stream through our routes", () => {
    const config = withEnv({})();
    expect(config.storage).toEqual({ kind: "fs" });
    expect(config.mediaDelivery).toBe("stream");
    expect(redirectMediaSources(config)).toEqual([]);
  });

  test("S3_BUCKET turns the bucket on, with the region's default and the store's own settings", () => {
    const config = withEnv({
      S3_BUCKET: "studio-media",
      S3_ENDPOINT: "http://minio.internal:9000",
      S3_PREFIX: "team-a/",
      S3_FORCE_PATH_STYLE: "1",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    })();
    expect(config.storage).toEqual({
      kind: "s3",
      bucket: "studio-media",
      endpoint: "http://minio.internal:9000",
      region: "us-east-1",
      prefix: "team-a/",
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    });
  });

  test("without keys the SDK's own chain applies (a profile, an instance role)", () => {
    const config = withEnv({ S3_BUCKET: "studio-media", S3_REGION: "eu-west-1" })();
    expect(config.storage).toMatchObject({ kind: "s3", region: "eu-west-1", credentials: undefined, forcePathStyle: false });
  });

  test.each([
    [{ S3_BUCKET: "b", AWS_ACCESS_KEY_ID: "AKIAEXAMPLE" }, /AWS_SECRET_ACCESS_KEY: is needed with the other AWS key/],
    [{ S3_BUCKET: "b", AWS_SECRET_ACCESS_KEY: "secret-only-0000" }, /AWS_ACCESS_KEY_ID: is needed with the other AWS key/],
    [{ MEDIA_DELIVERY: "redirect" }, /MEDIA_DELIVERY: redirect needs an object store \(S3_BUCKET\)/],
    [{ S3_BUCKET: "b", MEDIA_DELIVERY: "cdn" }, /MEDIA_DELIVERY/],
    [{ S3_BUCKET: "b", S3_ENDPOINT: "minio:9000" }, /S3_ENDPOINT/],
  ])("refuses %o at start, saying which variable", (values, message) => {
    expect(() => withEnv(values)()).toThrow(message);
  });

  test("the secret key, and a signed URL's signature and credential, never reach a log line", () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const line = JSON.stringify({
      msg: `upload failed for ${secret}`,
      location: "https://studio.s3.amazonaws.com/clips/a/video.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0&X-Amz-Expires=600",
    });
    const scrubbed = scrubSecrets(line, [secret]);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).not.toContain("0f1e2d3c4b5a");
    expect(scrubbed).not.toContain("AKIAEXAMPLE");
    expect(scrubbed).toContain("X-Amz-Expires=600");
  });

  test("MEDIA_DELIVERY=redirect lets players follow the redirect: https stores, and a plain-http endpoint by its origin", () => {
    const local = withEnv({ S3_BUCKET: "b", S3_ENDPOINT: "http://127.0.0.1:4568/", MEDIA_DELIVERY: "redirect" })();
    expect(redirectMediaSources(local)).toEqual(["https:", "http://127.0.0.1:4568"]);
    expect(contentSecurityPolicy("n0nce", { mediaSources: redirectMediaSources(local) })).toContain("media-src 'self' blob: https: http://127.0.0.1:4568;");
    const aws = withEnv({ S3_BUCKET: "b", MEDIA_DELIVERY: "redirect" })();
    expect(redirectMediaSources(aws)).toEqual(["https:"]);
    expect(contentSecurityPolicy("n0nce")).toContain("media-src 'self' blob:;");
  });
});
