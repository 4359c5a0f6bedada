import { type Agent, request } from "node:http";

/**
 * One JSON request over a keep-alive agent, as the bench's clients send them (the raw client, the
 * emulator's inspection calls, the soak's read-back): the access token in Chatwoot's header, the
 * body as JSON, the answer parsed. Anything but a 2xx rejects with the status and the body.
 */
export function requestJson(
  agent: Agent,
  url: string,
  token: string,
  method: string,
  body?: unknown,
): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          api_access_token: token,
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299)
            reject(new Error(`${method} ${new URL(url).pathname} answered ${status}: ${text}`));
          else resolve(text === "" ? undefined : JSON.parse(text));
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
