import { ChatwootApiError, isUnauthorized } from "../client/errors";

/**
 * An error meant for the person running `pulumi up`: it says what was being done and what
 * Chatwoot answered. Its stack is reduced to its message because the provider host prints
 * `error: stack` for some operations, and a user needs the explanation, not our call frames
 * (the original error stays available as `cause`).
 */
export class ProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * A create that made the Chatwoot object but could not finish configuring it. The provider host
 * turns `id`/`properties` into a partial-creation result, so the engine records the object and
 * the next `pulumi up` finishes it with an update instead of creating a second one.
 */
export class PartialCreateError extends ProviderError {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: Record<string, unknown>, failure: unknown, whatExists: string) {
    const reason = explain(failure);
    super(`${whatExists}, but finishing it failed: ${reason}. The next \`pulumi up\` will finish it.`, {
      cause: failure,
    });
    this.id = id;
    this.properties = properties;
    // The engine shows the reasons (not the message) for a partial creation: give it the whole story.
    this.reasons = [this.message];
  }
}

/** Wraps any failure with what was being done, keeping Chatwoot's own words. */
export function failure(action: string, error: unknown): Error {
  if (error instanceof ProviderError) return error;
  return new ProviderError(`${action}: ${explain(error)}`, { cause: error });
}

export function explain(error: unknown): string {
  if (
    error instanceof ChatwootApiError &&
    error.status === 401 &&
    /access token/i.test(error.chatwootMessage)
  ) {
    return (
      `Chatwoot rejected the API access token (${error.method} ${error.path} answered 401 ` +
      `"${error.chatwootMessage}"). Check chatwoot:apiAccessToken or CHATWOOT_API_ACCESS_TOKEN, or the ` +
      "resource's connection. `pulumi refresh` and `pulumi destroy` use the token stored in the state by the " +
      "last `pulumi up`: after rotating a token, run `pulumi up` first (or add --run-program)."
    );
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Wraps a failed delete. Chatwoot answers 401 "You are not authorized to do this action" when an
 * agent's token deletes what only administrators may (contacts, conversations); say so plainly.
 */
export function deleteFailure(kind: "contact" | "conversation", id: string, error: unknown): Error {
  if (isUnauthorized(error) && /not authorized to do this action/i.test(error.chatwootMessage)) {
    return new ProviderError(
      `Deleting ${kind} ${id}: Chatwoot lets only administrators delete ${kind}s (it answered 401 ` +
        `"${error.chatwootMessage}"). Use an administrator's API access token for chatwoot:apiAccessToken, ` +
        `or keep the ${kind} with the \`retainOnDelete\` resource option.`,
      { cause: error },
    );
  }
  return failure(`Deleting ${kind} ${id}`, error);
}

/**
 * Wraps a failure of something only administrators may do. Chatwoot's policies answer 401 "You are
 * not authorized to do this action" to an agent's token (e.g. `LabelPolicy`); say what to change.
 */
export function adminOnlyFailure(action: string, whatOnlyAdminsMay: string, error: unknown): Error {
  if (isUnauthorized(error) && /not authorized to do this action/i.test(error.chatwootMessage)) {
    return new ProviderError(
      `${action}: Chatwoot lets only administrators ${whatOnlyAdminsMay} (it answered 401 ` +
        `"${error.chatwootMessage}"). Use an administrator's API access token for chatwoot:apiAccessToken, ` +
        "or in the resource's connection.",
      { cause: error },
    );
  }
  return failure(action, error);
}
