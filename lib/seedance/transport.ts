import "server-only";
import http from "node:http";
import https from "node:https";

/** What the upstream answered: status, headers and the whole body as text. */
export interface UpstreamAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A JSON POST to the upstream; `timeoutMs` bounds the whole exchange, body included. */
export type Transport = (url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }) => Promise<UpstreamAnswer>;

/** The API's answers are small JSON documents; anything bigger is not one of them. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

// Connections are kept alive between calls: the worker asks every second, and a create should
// not pay for a TLS handshake.
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 32 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

function timeoutError(ms: number): Error {
  const error = new Error(`No complete answer within ${ms} ms`);
  error.name = "TimeoutError";
  return error;
}

/**
 * node:http rather than fetch: less than half the client-side cost per call on loopback
 * (0.14–0.18 ms against 0.36–0.46 ms: no WHATWG streams or abort signal per call), which the
 * create path pays in full. Errors keep Node's codes (ECONNREFUSED…).
 *
 * A kept-alive socket the server closed as idle just as it was reused fails at once with
 * ECONNRESET (or EPIPE) and no answer: a clip failed "Could not reach the SeeDance API" that way
 * in CI. The server closed before reading, so nothing was started and the request is sent once
 * more on a new socket, as Node's documentation advises (`request.reusedSocket`). Any other
 * failure, and any after an answer began, goes back to the caller as it is.
 */
export const postJson: Transport = (url, request) => postOnce(url, request).catch((error: unknown) => {
  if (error instanceof StaleSocketError) return postOnce(url, request, { fresh: true });
  throw error;
});

class StaleSocketError extends Error {
  constructor(readonly cause: Error) {
    super(cause.message);
    this.name = "StaleSocketError";
  }
}

function postOnce(url: string, { headers, body, timeoutMs }: Parameters<Transport>[1], { fresh = false } = {}): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const agent = target.protocol === "https:" ? agents["https:"] : agents["http:"];
    const payload = Buffer.from(body, "utf8");
    let answered = false;
    const request = client.request(
      target,
      // The second try never takes a pooled socket: it might be the next stale one.
      { method: "POST", agent: fresh ? false : agent, headers: { ...headers, "content-length": String(payload.length) } },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) request.destroy(new Error(`The upstream answer exceeds ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on("end", () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", fail);
      },
    );
    const timer = setTimeout(() => request.destroy(timeoutError(timeoutMs)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      const code = (error as NodeJS.ErrnoException).code;
      const stale = !fresh && !answered && request.reusedSocket && (code === "ECONNRESET" || code === "EPIPE");
      reject(stale ? new StaleSocketError(error) : error);
    }
    request.on("error", fail);
    request.end(payload);
  });
}
