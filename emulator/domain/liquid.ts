import { Liquid } from "liquidjs";
import type { Account, AgentBot, Contact, Conversation, Inbox, JsonMap, User } from "../store/types";

/*
 * Chatwoot renders Liquid in outgoing and template messages before saving them
 * (`app/models/concerns/liquidable.rb`, a `before_create` callback of `Message`) with the drops of
 * `app/drops/`, using the `liquid` gem 5.4.0 (Gemfile.lock). liquidjs stands in for the gem with its
 * defaults, which match the gem's lax mode: unknown variables and drop methods render as nothing,
 * unknown filters are skipped, and a template that does not parse (an unclosed tag, an unknown tag,
 * an unterminated `{{`) raises, which Chatwoot rescues by keeping the content as written.
 * `test/emulator/liquid.test.ts` runs the same templates through Debian's ruby-liquid 5.4.0.
 */

const engine = new Liquid({ strictFilters: false, strictVariables: false, ownPropertyOnly: true });

/** Ruby's `String#split` with no argument: on runs of ASCII whitespace, ignoring it at both ends. */
function rubyWords(value: string): string[] {
  return value.split(/[\t\n\v\f\r ]+/).filter((word) => word !== "");
}

/** Ruby's `String#capitalize`: the first character upper-cased, the rest lower-cased. */
function rubyCapitalize(value: string): string {
  const [first = "", ...rest] = Array.from(value);
  return first.toUpperCase() + rest.join("").toLowerCase();
}

/** `BaseDrop`-style `name`: every word capitalized (`ContactDrop#name`, `UserDrop#name`). */
function capitalizedWords(name: string | null): string | null {
  return name === null ? null : rubyWords(name).map(rubyCapitalize).join(" ");
}

function firstName(name: string | null): string | null {
  const first = name === null ? undefined : rubyWords(name)[0];
  return first === undefined ? null : rubyCapitalize(first);
}

/** `last_name`: only when the name has more than one word. */
function lastName(name: string | null): string | null {
  const words = name === null ? [] : rubyWords(name);
  return words.length > 1 ? rubyCapitalize(words[words.length - 1]!) : null;
}

/** `ContactDrop` (`app/drops/contact_drop.rb`). */
function contactDrop(contact: Contact): JsonMap {
  return {
    id: contact.id,
    name: capitalizedWords(contact.name),
    email: contact.email,
    phone_number: contact.phoneNumber,
    first_name: firstName(contact.name),
    last_name: lastName(contact.name),
    custom_attribute: { ...contact.customAttributes },
  };
}

/**
 * `UserDrop` (`app/drops/user_drop.rb`) of the message's sender, else the conversation's assignee.
 * An agent bot sender gets the same drop: it answers `name`, `available_name` (its name) and `id`.
 */
function agentDrop(agent: { user: User } | { bot: AgentBot } | null): JsonMap {
  if (agent === null) return {};
  const name = "user" in agent ? agent.user.name : agent.bot.name;
  return {
    id: "user" in agent ? agent.user.id : agent.bot.id,
    name: capitalizedWords(name),
    available_name: "user" in agent ? agent.user.displayName || agent.user.name : agent.bot.name,
    email: "user" in agent ? agent.user.email : null,
    first_name: firstName(name),
    last_name: lastName(name),
  };
}

/** `ConversationDrop` (`app/drops/conversation_drop.rb`); `recent_messages` is not modelled. */
function conversationDrop(conversation: Conversation): JsonMap {
  return {
    id: conversation.id,
    display_id: conversation.displayId,
    contact_name: conversation.contact.name === null ? "Customer" : rubyCapitalize(conversation.contact.name),
    custom_attribute: { ...conversation.customAttributes },
  };
}

function namedDrop(record: Inbox | Account): JsonMap {
  return { id: record.id, name: record.name };
}

export interface LiquidScope {
  conversation: Conversation;
  account: Account;
  /** `sender || conversation.assignee`, already resolved. */
  agent: { user: User } | { bot: AgentBot } | null;
}

/** `Liquidable#message_drops`. */
export function messageDrops(scope: LiquidScope): JsonMap {
  return {
    contact: contactDrop(scope.conversation.contact),
    agent: agentDrop(scope.agent),
    conversation: conversationDrop(scope.conversation),
    inbox: namedDrop(scope.conversation.inbox),
    account: namedDrop(scope.account),
  };
}

/**
 * `Liquidable#modified_liquid_content`: code spans (`` `…` ``, across lines too) are wrapped in
 * `{% raw %}` so that Liquid leaves them alone.
 */
function protectCodeSpans(content: string): string {
  return content.replace(/`([\s\S]*?)`/g, (_match, code: string) => `{% raw %}\`${code}\`{% endraw %}`);
}

/**
 * `Liquidable#process_liquid_in_content`: the content rendered with the drops; when it does not
 * parse, the content as written.
 */
export function renderLiquid(content: string, drops: JsonMap): string {
  let template;
  try {
    template = engine.parse(protectCodeSpans(content));
  } catch {
    return content; // `rescue Liquid::Error`
  }
  try {
    return engine.renderSync(template, drops) as string;
  } catch {
    // The gem's non-bang `render` writes a render-time error into the output instead; the emulator
    // keeps the content (see the README).
    return content;
  }
}
