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
      "192.0.0.8",
      "192.0.2.1",
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
      "64:ff9b:1::1", // local-use NAT64 (RFC 8215): translates into a private network
      "64:ff9b:1:abcd::808:808",
      "::ffff:8.8.8.8", // IPv4-mapped (::ffff:0:0/96): never a real DNS answer, whatever the IPv4 inside
      "::ffff:808:808",
      "::ffff:0:7f00:1", // IPv4-translated (::ffff:0:0:0/96) of 127.0.0.1
      "::ffff:0:127.0.0.1",
      "::ffff:0:8.8.8.8",
      "0:0:0:0:0:ffff:127.0.0.1",
      "not-an-address",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
  });

  it("lets public addresses through", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "192.0.78.9", "100.128.0.1", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "2a00:1450:4001:80b::200e"]) {
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
      "https://[::ffff:7f00:1]/x",
      "https://[::ffff:0:127.0.0.1]/x", // IPv4-translated, as a URL writes it: [::ffff:0:7f00:1]
      "https://[::ffff:8.8.8.8]/x",
      "https://[64:ff9b:1::a9fe:a9fe]/latest/meta-data/",
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
    await expect(assertFetchableUrl("https://localhost/clip.mp4", strict)).rejects.toMatchObject({ code: "url_unsafe", reason: expect.stringMatching(/private or local address/) });
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
    await expect(guardedFetch(`${origin}/to-metadata`, policy)).rejects.toMatchObject({ code: "url_unsafe", reason: expect.stringMatching(/Only https|private or local/) });
    await expect(guardedFetch(`${origin}/to-loopback`, policy)).rejects.toBeInstanceOf(UnsafeUrlError);
    const ok = await guardedFetch(`${origin}/to-self`, policy);
    expect(await ok.text()).toBe("ok");
    await expect(guardedFetch(`${origin}/loop`, policy)).rejects.toMatchObject({ code: "url_unsafe", reason: expect.stringMatching(/Too many redirects/) });
  });
});

/** A resolver that answers from a script (one answer per call, the last one repeated) and counts its calls. */
function scriptedResolver(...answers: string[][]) {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return answer.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) }));
  };
  return { resolve, calls };
}

/** A loopback server that counts TCP connections and records each request's Host header. */
async function countingServer(host: string, port = 0, handler?: http.RequestListener) {
  const hosts: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    hosts.push(req.headers.host ?? "");
    if (handler) handler(req, res);
    else res.writeHead(200, { "content-type": "text/plain" }).end(`answered by ${host}`);
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hosts,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("guardedFetch connects to the address it checked (DNS rebinding)", () => {
  it("a name that answers public for the check and private afterwards never reaches the private address", async () => {
    const internal = await countingServer("127.0.0.1");
    try {
      // 203.0.113.9 is TEST-NET-3: public to the guard, routed nowhere; whatever happens there, the
      // connection must not be made by resolving the name a second time (which now says loopback).
      const dns = scriptedResolver(["203.0.113.9"], ["127.0.0.1"]);
      await guardedFetch(`https://media.rebind.test:${internal.port}/clip.mp4`, strict, { resolve: dns.resolve, signal: AbortSignal.timeout(400) })
        .then((response) => response.body?.cancel())
        .catch(() => undefined);
      expect(dns.calls).toEqual(["media.rebind.test"]);
      expect(internal.connections()).toBe(0);
    } finally {
      await internal.close();
    }
  });

  it("refuses a name whose answer holds any private address, before connecting", async () => {
    const internal = await countingServer("127.0.0.1");
    try {
      for (const answer of [["127.0.0.1"], ["203.0.113.9", "127.0.0.1"], ["::ffff:127.0.0.1"], ["64:ff9b:1::7f00:1"]]) {
        const dns = scriptedResolver(answer);
        await expect(guardedFetch(`https://media.rebind.test:${internal.port}/x`, strict, { resolve: dns.resolve }), answer.join(",")).rejects.toMatchObject({ code: "url_unsafe", reason: expect.stringMatching(/private or local address/) });
        expect(dns.calls).toHaveLength(1);
      }
      expect(internal.connections()).toBe(0);
    } finally {
      await internal.close();
    }
  });

  it("pins each hop to the address resolved for it, keeping the name in Host", async () => {
    // Two loopback servers on one port: 127.0.0.1 is what the guard resolved, 127.0.0.2 what a
    // second resolution would say. ALLOW_PRIVATE_UPSTREAM lets loopback through the check.
    const checked = await countingServer("127.0.0.1", 0, (req, res) => {
      if (req.url === "/hop") res.writeHead(302, { location: `http://next.rebind.test:${checked.port}/landed` }).end();
      else res.writeHead(200).end("answered by 127.0.0.1");
    });
    const other = await countingServer("127.0.0.2", checked.port);
    try {
      const policy = { trustedOrigins: [], allowPrivate: true };
      const dns = scriptedResolver(["127.0.0.1"], ["127.0.0.2"]);
      const response = await guardedFetch(`http://media.rebind.test:${checked.port}/clip.mp4`, policy, { resolve: dns.resolve });
      expect(await response.text()).toBe("answered by 127.0.0.1");
      expect(checked.hosts).toEqual([`media.rebind.test:${checked.port}`]);
      expect(other.connections()).toBe(0);

      // A redirect is resolved again, and the next hop goes where that answer said.
      const hops = scriptedResolver(["127.0.0.1"], ["127.0.0.2"]);
      const redirected = await guardedFetch(`http://media.rebind.test:${checked.port}/hop`, policy, { resolve: hops.resolve });
      expect(await redirected.text()).toBe("answered by 127.0.0.2");
      expect(hops.calls).toEqual(["media.rebind.test", "next.rebind.test"]);
      expect(other.hosts).toEqual([`next.rebind.test:${checked.port}`]);
    } finally {
      await Promise.all([checked.close(), other.close()]);
    }
  });
});

describe("guardedFetch answers like fetch", () => {
  let server: http.Server;
  let origin = "";
  let release: () => void = () => undefined;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/slow") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.write("first chunk;");
        release = () => res.end("second chunk");
      } else if (req.url === "/echo") {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, type: req.headers["content-type"], body: Buffer.concat(chunks).toString() })));
      } else if (req.url === "/see-other") res.writeHead(303, { location: "/echo" }).end();
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("streams the body as it arrives", async () => {
    const response = await guardedFetch(`${origin}/slow`, { trustedOrigins: [origin], allowPrivate: false });
    expect(response).toBeInstanceOf(Response);
    const reader = response.body!.getReader();
    // The first chunk is readable while the server still holds the rest back.
    expect(Buffer.from((await reader.read()).value!).toString()).toBe("first chunk;");
    release();
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += Buffer.from(value).toString();
    }
    expect(rest).toBe("second chunk");
  });

  it("sends a method and body, follows 303 with a GET, and answers 204 with no body", async () => {
    const policy = { trustedOrigins: [origin], allowPrivate: false };
    const posted = await guardedFetch(`${origin}/echo`, policy, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ok: true }) });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toEqual({ method: "POST", type: "application/json", body: '{"ok":true}' });
    const seeOther = await guardedFetch(`${origin}/see-other`, policy, { method: "POST", body: "x" });
    expect(await seeOther.json()).toMatchObject({ method: "GET", body: "" });
    const empty = await guardedFetch(`${origin}/none`, policy);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });
});
