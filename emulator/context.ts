import type { IncomingHttpHeaders } from "node:http";
import type { JsonObject } from "./http/rubyish";
import type { Store } from "./store/store";
import type { Scheduler } from "./scheduler";
import type { WebhookDeliveries } from "./webhooks/deliveries";

/** Behaviour switches that handlers need (the rest of the options stay in the server). */
export interface HandlerSettings {
  /** `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`. */
  messagesPerMinuteLimit: number;
  /** Delay before an accepted conversation delete removes the conversation. */
  conversationDeleteDelayMs: number;
  /** Delay before a contact's or inbox's dependents are removed (Chatwoot's `destroy_async`). */
  cascadeDeleteDelayMs: number;
}

export interface EmulatorState {
  store: Store;
  scheduler: Scheduler;
  settings: HandlerSettings;
  /** API-inbox callbacks sent, and being sent. */
  webhooks: WebhookDeliveries;
}

/** One parsed request, as the route handlers see it. */
export interface RequestContext {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Query, body and path parameters merged the way Rails builds `params`. */
  params: JsonObject;
  /** Body parameters alone (parameter wrapping only looks at these). */
  bodyParams: JsonObject;
  bodyIsJson: boolean;
  pathParams: Record<string, string>;
  state: EmulatorState;
  /**
   * Work Chatwoot does in background jobs right after the request (activity messages): run once the
   * response has been rendered, before the next request is handled.
   */
  deferred: (() => void)[];
}
