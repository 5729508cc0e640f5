import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertFetchableUrl, guardedFetch, isPrivateAddress, UnsafeUrlError } from "@/lib/security/url-guard";

const strict = { trustedOrigins: [], allowPrivate: false };

describe("isPrivateAddress", () => {
  it("flags loopback, private, link-local, CGNAT, metadata, multicast and reserved ranges", () => {
    for (const address of [
      "127.0.0.1",
      "127.255.255.254",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254", // cloud metadata
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "198.18.0.1",
      "::1",
      "::",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "::ffff:7f00:1", // how URL() writes [::ffff:127.0.0.1]
      "::7f00:1",
      "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
      "2002:7f00:1::1", // 6to4 of 127.0.0.1
      "fec0::1",
      "not-an-address",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it("lets public addresses through", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "::ffff:808:808", "2002:808:808::1", "2a00:1450:4001:80b::200e"]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });
});

describe("assertFetchableUrl", () => {
  it("refuses private literals, non-https, credentials and garbage", async () => {
    for (const url of [
      "https://127.0.0.1/clip.mp4",
      "https://169.254.169.254/latest/meta-data/",
      "https://[::1]/x",
      "https://[fe80::1]/x",
      "https://10.0.0.5/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://[::ffff:a9fe:a9fe]/latest/meta-data/",
      "https://2130706433/x", // 127.0.0.1 as one number
      "https://0x7f.0.0.1/x",
      "http://8.8.8.8/x",
      "file:///etc/passwd",
      "ftp://8.8.8.8/x",
      "https://user:pass@8.8.8.8/x",
      "not a url",
    ]) {
      await expect(assertFetchableUrl(url, strict), url).rejects.toBeInstanceOf(UnsafeUrlError);
    }
  });

  it("checks the addresses a name resolves to", async () => {
    // `localhost` resolves to loopback: refused after DNS, not by its name.
    await expect(assertFetchableUrl("https://localhost/clip.mp4", strict)).rejects.toThrow(/private or local address/);
  });

  it("accepts public https literals, trusted origins, and private ones only with ALLOW_PRIVATE_UPSTREAM", async () => {
    await expect(assertFetchableUrl("https://8.8.8.8/clip.mp4", strict)).resolves.toBeInstanceOf(URL);
    await expect(assertFetchableUrl("http://127.0.0.1:3000/api/simulator/files/a.mp4", { trustedOrigins: ["http://127.0.0.1:3000"], allowPrivate: false })).resolves.toBeInstanceOf(URL);
    await expect(assertFetchableUrl("http://127.0.0.1:3001/x", { trustedOrigins: ["http://127.0.0.1:3000"], allowPrivate: false })).rejects.toBeInstanceOf(UnsafeUrlError);
    await expect(assertFetchableUrl("http://10.0.0.5/x", { trustedOrigins: [], allowPrivate: true })).resolves.toBeInstanceOf(URL);
  });
});

describe("guardedFetch", () => {
  let server: http.Server;
  let origin = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/to-metadata") res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      else if (req.url === "/to-loopback") res.writeHead(301, { location: "http://127.0.0.1:1/secret" }).end();
      else if (req.url === "/to-self") res.writeHead(302, { location: "/ok" }).end();
      else if (req.url === "/loop") res.writeHead(302, { location: "/loop" }).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("re-checks every redirect hop", async () => {
    const policy = { trustedOrigins: [origin], allowPrivate: false };
    await expect(guardedFetch(`${origin}/to-metadata`, policy)).rejects.toThrow(/Only https|private or local/);
    await expect(guardedFetch(`${origin}/to-loopback`, policy)).rejects.toBeInstanceOf(UnsafeUrlError);
    const ok = await guardedFetch(`${origin}/to-self`, policy);
    expect(await ok.text()).toBe("ok");
    await expect(guardedFetch(`${origin}/loop`, policy)).rejects.toThrow(/Too many redirects/);
  });
});
