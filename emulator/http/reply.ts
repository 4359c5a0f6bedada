/** What a route handler answers; the server turns it into bytes on the socket. */
export interface Reply {
  status: number;
  /** Serialised body; `""` for Rails' `head :ok`. */
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonReply(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value), contentType: JSON_CONTENT_TYPE };
}

/** Rails' `head :ok` on a JSON route: the status, a JSON content type and no body at all. */
export function emptyReply(status = 200): Reply {
  return { status, body: "", contentType: JSON_CONTENT_TYPE };
}

/** Rails' `head :no_content`: a 204 with neither body nor content type (`ActionController::Head#head`). */
export function noContentReply(): Reply {
  return { status: 204, body: "", contentType: "" };
}

export function textReply(status: number, text: string, contentType = "text/plain"): Reply {
  return { status, body: text, contentType };
}
