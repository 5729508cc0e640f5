import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { asStorageError, isValidKey, StorageLimitError, type Storage } from "./index";

export function fsStorage(root: string): Storage {
  const resolve = (key: string) => {
    if (!isValidKey(key)) throw new Error(`Invalid storage key: ${key}`);
    const full = path.resolve(root, key);
    // Defence in depth: the key pattern already forbids traversal.
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`Invalid storage key: ${key}`);
    return full;
  };

  return {
    async put(key, body, opts = {}) {
      const target = resolve(key);
      await fs.promises.mkdir(path.dirname(target), { recursive: true }).catch((error: unknown) => {
        throw asStorageError(error);
      });
      const temp = `${target}.${randomBytes(6).toString("hex")}.part`;
      const hash = createHash("sha256");
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (opts.maxBytes !== undefined && bytes > opts.maxBytes) {
            done(new StorageLimitError(opts.maxBytes));
            return;
          }
          hash.update(chunk);
          done(null, chunk);
        },
      });
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      try {
        await pipeline(source, meter, fs.createWriteStream(temp));
        await fs.promises.rename(temp, target);
      } catch (error) {
        await fs.promises.rm(temp, { force: true });
        throw asStorageError(error);
      }
      const sha256 = hash.digest("hex");
      if (opts.sha256 && opts.sha256 !== sha256) {
        await fs.promises.rm(target, { force: true });
        throw new Error(`The bytes of ${key} changed while they were copied`);
      }
      return { key, bytes, sha256 };
    },
    async stat(key) {
      try {
        const info = await fs.promises.stat(resolve(key));
        return info.isFile() ? { bytes: info.size, modifiedAt: info.mtime } : null;
      } catch {
        return null;
      }
    },
    read(key, range) {
      return fs.createReadStream(resolve(key), range ? { start: range.start, end: range.end } : {});
    },
    async withLocalFile(key, fn) {
      return fn(resolve(key));
    },
    async delete(key) {
      await fs.promises.rm(resolve(key), { force: true });
    },
    async deletePrefix(prefix) {
      await fs.promises.rm(resolve(prefix.replace(/\/$/, "")), { recursive: true, force: true });
    },
    async list(prefix) {
      // The folder part of the prefix is read recursively; the rest filters names.
      const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
      const base = folder ? resolve(folder) : path.resolve(root);
      let names: string[];
      try {
        names = (await fs.promises.readdir(base, { recursive: true })) as string[];
      } catch {
        return [];
      }
      const found: { key: string; bytes: number; modifiedAt: Date }[] = [];
      for (const name of names) {
        const key = (folder ? `${folder}/${name}` : name).split(path.sep).join("/");
        if (!key.startsWith(prefix)) continue;
        const info = await fs.promises.stat(path.join(base, name)).catch(() => null);
        if (info?.isFile()) found.push({ key, bytes: info.size, modifiedAt: info.mtime });
      }
      return found;
    },
  };
}
