/**
 * The storage contract, one suite run against both stores: the filesystem and an S3 bucket on a
 * real S3-protocol server (s3rver on loopback; it checks access keys and signed URLs' expiry). What the app relies on:
 * streamed capped puts that leave nothing behind, exact ranged reads, prefix deletes across
 * listing pages, local files for ffmpeg, and (S3) signed URLs that work and expire.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REDIRECT_URL_TTL_SEC, serveStoredObject } from "@/lib/media/serve";
import { StorageLimitError, type Storage } from "@/lib/storage";
import { fsStorage } from "@/lib/storage/fs";
import { startS3Server, type TestS3Server } from "./support/s3-server";

const MB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A body that arrives in 64 KB chunks, as a download does. */
function chunked(bytes: Buffer, chunk = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })(),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A missing object is a not-found: a 404 answer, or the coded error the route turns into one. */
const notFound = (answer: Promise<Response>) =>
  answer.then(
    (response) => response.status === 404,
    (error: unknown) => /not_found/.test(String((error as { code?: unknown }).code)),
  );

let s3: TestS3Server;
const dirs: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface StoreUnderTest {
  name: string;
  /** A fresh, empty store (its own folder or bucket prefix); `listPageSize` forces several listing pages on S3. */
  make(opts?: { listPageSize?: number }): Storage;
  /** What a failed write may have left: half-written files on disk, multipart uploads never completed nor aborted. */
  leftovers(): string[];
}

const fsDirs: string[] = [];
/** Multipart uploads the S3 stores started, until they are completed or aborted (seen on the wire). */
const openUploads = new Set<string>();

/** Watches the client's requests: the uploads it opens, and the ones it closes. */
function watchUploads(store: ReturnType<typeof s3.store>) {
  store.client.middlewareStack.add(
    (next, context) => async (args) => {
      // Closing counts when asked for: s3rver has no AbortMultipartUpload (it answers 405 and
      // keeps the parts), while S3, R2 and MinIO drop them.
      const input = args.input as { UploadId?: string };
      if ((context.commandName === "AbortMultipartUploadCommand" || context.commandName === "CompleteMultipartUploadCommand") && input.UploadId) {
        openUploads.delete(input.UploadId);
      }
      const result = await next(args);
      const output = result.output as { UploadId?: string };
      if (context.commandName === "CreateMultipartUploadCommand" && output.UploadId) openUploads.add(output.UploadId);
      return result;
    },
    { step: "initialize", name: "watchUploads" },
  );
  return store;
}

const stores: StoreUnderTest[] = [
  {
    name: "filesystem",
    make() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seedance-fs-store-"));
      dirs.push(dir);
      fsDirs.push(dir);
      return fsStorage(dir);
    },
    leftovers: () => fsDirs.flatMap((dir) => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".part"))),
  },
  {
    name: "S3",
    // 5 MiB parts (S3's minimum), so a 12 MB body goes up as a real multipart upload.
    make: (opts = {}) => watchUploads(s3.store({ prefix: `t-${randomBytes(4).toString("hex")}`, partSize: 5 * MB, ...opts })),
    leftovers: () => [...openUploads],
  },
];

describe.each(stores)("storage contract: $name", (under) => {
  test("a streamed put stores the exact bytes, their size and sha256; stat and a whole read agree", async () => {
    const store = under.make();
    const bytes = randomBytes(12 * MB + 12345);
    const stored = await store.put("clips/abc/video.mp4", chunked(bytes), { maxBytes: 64 * MB });
    expect(under.leftovers()).toEqual([]);
    expect(stored).toEqual({ key: "clips/abc/video.mp4", bytes: bytes.length, sha256: sha256(bytes) });
    const info = await store.stat("clips/abc/video.mp4");
    expect(info?.bytes).toBe(bytes.length);
    expect(info?.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(sha256(await readAll(store.read("clips/abc/video.mp4")))).toBe(sha256(bytes));
    expect(await store.stat("clips/abc/missing.mp4")).toBeNull();
  });

  test("a put past its cap fails with file_too_large and leaves nothing, not even an older object's loss", async () => {
    const store = under.make();
    await expect(store.put("clips/big/video.mp4", chunked(randomBytes(12 * MB)), { maxBytes: 7 * MB })).rejects.toBeInstanceOf(StorageLimitError);
    expect(await store.stat("clips/big/video.mp4")).toBeNull();
    expect(await store.list("clips/big/")).toEqual([]);
    expect(under.leftovers()).toEqual([]);

    // Over an existing object: the old one stays whole.
    const old = randomBytes(1000);
    await store.put("clips/big/poster.jpg", old);
    await expect(store.put("clips/big/poster.jpg", chunked(randomBytes(3 * MB)), { maxBytes: 2 * MB })).rejects.toBeInstanceOf(StorageLimitError);
    expect(await readAll(store.read("clips/big/poster.jpg"))).toEqual(old);
  });

  test("a put with a known sha256 that does not match its bytes is refused and not kept", async () => {
    const store = under.make();
    await expect(store.put("inputs/x.png", chunked(randomBytes(2000)), { sha256: "0".repeat(64) })).rejects.toThrow(/changed/);
    expect(await store.stat("inputs/x.png")).toBeNull();
  });

  test("ranged reads return exactly the bytes asked for", async () => {
    const store = under.make();
    const bytes = randomBytes(300_000);
    await store.put("clips/r/video.mp4", bytes);
    for (const [start, end] of [
      [0, 0],
      [0, 15],
      [1000, 1999],
      [299_999, 299_999],
      [123_457, 299_999],
    ] as const) {
      expect(await readAll(store.read("clips/r/video.mp4", { start, end }))).toEqual(bytes.subarray(start, end + 1));
    }
  });

  test("delete removes one object (and a missing one is no error); deletePrefix removes a folder across listing pages", async () => {
    const store = under.make({ listPageSize: 2 });
    for (let i = 0; i < 7; i++) await store.put(`clips/many/file-${i}.jpg`, Buffer.from(`frame ${i}`));
    await store.put("clips/other/poster.jpg", Buffer.from("keep"));
    await store.put("clips/many-more/poster.jpg", Buffer.from("keep too"));
    expect((await store.list("clips/many/")).map((o) => o.key).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `clips/many/file-${i}.jpg`));

    await store.delete("clips/many/file-0.jpg");
    await store.delete("clips/many/never-was.jpg");
    expect(await store.stat("clips/many/file-0.jpg")).toBeNull();

    await store.deletePrefix("clips/many/");
    expect(await store.list("clips/many/")).toEqual([]);
    expect((await store.list("clips/")).map((o) => o.key).sort()).toEqual(["clips/many-more/poster.jpg", "clips/other/poster.jpg"]);
  });

  test("list gives keys, sizes and times under a prefix", async () => {
    const store = under.make();
    await store.put("inputs/aaa.png", Buffer.alloc(10));
    await store.put("inputs/bbb.jpg", Buffer.alloc(20));
    await store.put("films/s1/film.mp4", Buffer.alloc(30));
    const listed = (await store.list("inputs/")).sort((a, b) => a.key.localeCompare(b.key));
    expect(listed.map(({ key, bytes }) => ({ key, bytes }))).toEqual([
      { key: "inputs/aaa.png", bytes: 10 },
      { key: "inputs/bbb.jpg", bytes: 20 },
    ]);
    expect(listed.every((o) => o.modifiedAt instanceof Date && !Number.isNaN(o.modifiedAt.getTime()))).toBe(true);
  });

  test("withLocalFile hands ffmpeg a file with the object's bytes", async () => {
    const store = under.make();
    const bytes = randomBytes(50_000);
    await store.put("clips/l/video.mp4", bytes);
    let seen = "";
    const read = await store.withLocalFile("clips/l/video.mp4", async (file) => {
      seen = file;
      return fs.readFileSync(file);
    });
    expect(read).toEqual(bytes);
    if (under.name === "S3") expect(fs.existsSync(seen)).toBe(false); // the spooled copy is gone
  });

  test("the media route answers the same over either store: 200, 206 with exact bytes, 304 on its ETag, 416", async () => {
    const store = under.make();
    const bytes = randomBytes(100_000);
    await store.put("clips/m/video.mp4", bytes);
    const url = "http://studio.test/api/media/clips/m/video.mp4";
    const whole = await serveStoredObject(store, "clips/m/video.mp4", new Request(url));
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);
    const etag = whole.headers.get("etag")!;

    const part = await serveStoredObject(store, "clips/m/video.mp4", new Request(url, { headers: { range: "bytes=500-1499" } }));
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 500-1499/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(500, 1500));
    expect(part.headers.get("etag")).toBe(etag);

    const tail = await serveStoredObject(store, "clips/m/video.mp4", new Request(url, { headers: { range: "bytes=-10" } }));
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));

    expect((await serveStoredObject(store, "clips/m/video.mp4", new Request(url, { headers: { "if-none-match": etag } }))).status).toBe(304);
    expect((await serveStoredObject(store, "clips/m/video.mp4", new Request(url, { headers: { range: "bytes=100000-" } }))).status).toBe(416);
    expect(await notFound(serveStoredObject(store, "clips/m/none.mp4", new Request(url)))).toBe(true);
  });
});

describe("S3 store only", () => {
  test("MEDIA_DELIVERY=redirect: after the same checks, a short-lived signed URL that plays with Range; the disk store streams", async () => {
    const store = s3.store({ prefix: "redirect" });
    const bytes = randomBytes(200_000);
    await store.put("clips/d/video.mp4", bytes);
    const url = "http://studio.test/api/media/clips/d/video.mp4";
    const answer = await serveStoredObject(store, "clips/d/video.mp4", new Request(url), { delivery: "redirect", downloadName: "a fox.mp4", cache: "share" });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    const location = answer.headers.get("location")!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/redirect/clips/d/video.mp4?`)).toBe(true);
    expect(new URL(location).searchParams.get("X-Amz-Expires")).toBe(String(REDIRECT_URL_TTL_SEC));

    // What the player does next: a ranged GET straight from the store, with our headers on it.
    const ranged = await fetch(location, { headers: { range: "bytes=1000-1999" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-type")).toBe("video/mp4");
    expect(ranged.headers.get("cache-control")).toBe("public, max-age=60, must-revalidate");
    expect(ranged.headers.get("content-disposition")).toContain("filename*=UTF-8''a%20fox.mp4");
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));

    // Missing objects and matching ETags are still answered by us.
    expect(await notFound(serveStoredObject(store, "clips/d/none.mp4", new Request(url), { delivery: "redirect" }))).toBe(true);
    const etag = (await serveStoredObject(store, "clips/d/video.mp4", new Request(url))).headers.get("etag")!;
    expect((await serveStoredObject(store, "clips/d/video.mp4", new Request(url, { headers: { "if-none-match": etag } }), { delivery: "redirect" })).status).toBe(304);

    const disk = stores[0]!.make();
    await disk.put("clips/d/video.mp4", bytes);
    const streamed = await serveStoredObject(disk, "clips/d/video.mp4", new Request(url), { delivery: "redirect" });
    expect(streamed.status).toBe(200);
    expect(Buffer.from(await streamed.arrayBuffer())).toEqual(bytes);
  });

  test("a signed URL fetches the object with the headers asked for, and stops working once expired", async () => {
    const store = s3.store({ prefix: "signed" });
    const bytes = randomBytes(4000);
    await store.put("clips/s/video.mp4", bytes);
    const url = await store.signedUrl!("clips/s/video.mp4", { expiresInSec: 60, contentDisposition: 'attachment; filename="fox.mp4"' });
    expect(url).toContain("X-Amz-Expires=60");
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-disposition")).toBe('attachment; filename="fox.mp4"');
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(bytes);

    // Signed two minutes ago for one minute: the store refuses it.
    const stale = await getSignedUrl(store.client, new GetObjectCommand({ Bucket: s3.bucket, Key: "signed/clips/s/video.mp4" }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });
    const refused = await fetch(stale);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/expired/i);
  });

  test("S3_PREFIX keeps studios apart in one bucket", async () => {
    const a = s3.store({ prefix: "team-a/" });
    const b = s3.store({ prefix: "/team-b" });
    await a.put("inputs/same.png", Buffer.from("a"));
    await b.put("inputs/same.png", Buffer.from("b"));
    expect((await a.list("inputs/")).map((o) => o.key)).toEqual(["inputs/same.png"]);
    await b.deletePrefix("inputs/");
    expect(await readAll(a.read("inputs/same.png"))).toEqual(Buffer.from("a"));
    expect(await b.stat("inputs/same.png")).toBeNull();
  });

  test("an object written from a Buffer carries its sha256, so a copy can skip it", async () => {
    const store = s3.store({ prefix: "meta" });
    const bytes = randomBytes(1234);
    await store.put("inputs/h.png", bytes);
    expect((await store.stat("inputs/h.png"))?.sha256).toBe(sha256(bytes));
  });

  test("an unknown access key is refused by the server (the client really signs its requests)", async () => {
    const store = s3.store({ credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "wrong-secret" } });
    await expect(store.put("inputs/n.png", Buffer.from("x"))).rejects.toThrow();
  });
});
