import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postJson } from "@/lib/seedance/transport";

const ANSWER = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: keep-alive\r\n\r\n{"ok":true}';

/**
 * A raw HTTP server whose `drop(n)` decides, per connection and request number, whether to reset
 * the socket instead of answering: what a server does when it closes a kept-alive socket as idle
 * just as the client reuses it.
 */
function server(drop: (connection: number, request: number) => boolean) {
  let connections = 0;
  const seen: [number, number][] = [];
  const srv = net.createServer((socket) => {
    const connection = ++connections;
    let requests = 0;
    socket.on("data", () => {
      const request = ++requests;
      seen.push([connection, request]);
      if (drop(connection, request)) socket.resetAndDestroy();
      else socket.write(ANSWER);
    });
  });
  return new Promise<{ url: string; seen: [number, number][]; close: () => Promise<void> }>((resolve) =>
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/tasks`, seen, close: () => new Promise((done) => srv.close(() => done())) });
    }),
  );
}

const post = (url: string) => postJson(url, { headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 5000 });
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("the upstream transport and kept-alive sockets", () => {
  it("sends once more on a new socket when a reused one turns out closed before any answer", async () => {
    // Every connection's second request is reset: the pooled socket went stale.
    const s = await server((_connection, request) => request === 2);
    close = s.close;
    expect((await post(s.url)).text).toBe('{"ok":true}');
    const second = await post(s.url);
    expect(second.status).toBe(200);
    // The stale socket got the request and reset it; the same request then went on a new connection.
    expect(s.seen.slice(-2)).toEqual([
      [s.seen.at(-2)![0], 2],
      [s.seen.at(-1)![0], 1],
    ]);
  });

  it("a reset on a new socket is not retried: that request may have been read", async () => {
    const s = await server(() => true);
    close = s.close;
    await expect(post(s.url)).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(s.seen).toHaveLength(1);
  });
});
