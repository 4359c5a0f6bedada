import { jsonReply, type Reply } from "./http/reply";
import type { ValidationErrors } from "./domain/validation";

/**
 * Errors a handler throws to stop processing; each carries the exact answer Chatwoot gives in that
 * situation (chatwoot app/controllers/concerns/request_exception_handler.rb).
 */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
    this.name = "HttpError";
  }
}

export const NOT_FOUND_MESSAGE = "Resource could not be found";
export const FORBIDDEN_MESSAGE = "You are not authorized to do this action";

export function notFound(): HttpError {
  return new HttpError(jsonReply(404, { error: NOT_FOUND_MESSAGE }));
}

/** Chatwoot answers 401 (not 403) for every authorisation failure. */
export function unauthorized(message: string = FORBIDDEN_MESSAGE): HttpError {
  return new HttpError(jsonReply(401, { error: message }));
}

/** `ActionController::ParameterMissing` as rendered by `RequestExceptionHandler`. */
export function parameterMissing(name: string): HttpError {
  return new HttpError(jsonReply(422, { error: `param is missing or the value is empty: ${name}` }));
}

/** `render_could_not_create_error`: a 422 with a single `error` string. */
export function unprocessable(message: string): HttpError {
  return new HttpError(jsonReply(422, { error: message }));
}

/** `ActiveRecord::RecordInvalid` as rendered by `render_record_invalid`. */
export function recordInvalid(errors: ValidationErrors): HttpError {
  return new HttpError(
    jsonReply(422, { message: errors.fullMessages().join(", "), attributes: errors.attributeNames() }),
  );
}

/**
 * An exception Chatwoot does not rescue (bad enum value, unique-index violation, nil dereference):
 * Rails' public-exceptions app answers JSON requests with this body.
 */
export function internalServerError(): HttpError {
  return new HttpError(jsonReply(500, { status: 500, error: "Internal Server Error" }));
}
