import { isPresent, type JsonObject } from "../http/rubyish";
import type { Account, JsonMap, Message } from "../store/types";
import { escapeHtml } from "../web/html";
import { messageDrops, renderLiquid } from "./liquid";

/*
 * What `Messages::MessageBuilder` adds to a message posted into an Email inbox
 * (`app/builders/messages/message_builder.rb`, `process_emails` and `process_email_content`, with
 * `app/helpers/email_helper.rb`).
 */

/** `URI::MailTo::EMAIL_REGEXP`, which `validate_email_addresses` checks every address against. */
const EMAIL_REGEXP =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Thrown as Chatwoot's `StandardError, 'Invalid email address'`. */
export class InvalidEmailAddressError extends Error {
  constructor() {
    super("Invalid email address");
  }
}

/** `process_email_string`: whitespace removed, split on commas (Ruby drops trailing empty parts). */
function emailList(value: unknown): string[] {
  if (!isPresent(value)) return [];
  const parts = String(value).replace(/\s+/g, "").split(",");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/**
 * `process_emails`: `cc_emails`, `bcc_emails` and `to_emails` from the request's top-level
 * parameters, always set (empty lists when absent), after every address is validated.
 */
export function addEmailAddresses(contentAttributes: JsonMap, params: JsonObject): void {
  const cc = emailList(params.cc_emails);
  const bcc = emailList(params.bcc_emails);
  const to = emailList(params.to_emails);
  if ([...cc, ...bcc, ...to].some((address) => !EMAIL_REGEXP.test(address))) {
    throw new InvalidEmailAddressError();
  }
  contentAttributes.cc_emails = cc;
  contentAttributes.bcc_emails = bcc;
  contentAttributes.to_emails = to;
}

/**
 * `EmailHelper#render_email_html` renders Markdown with hard line breaks (CommonMarker). The
 * emulator renders plain paragraphs only: blank lines separate `<p>`s, other line breaks become
 * `<br />`; Markdown syntax is kept as text (see the README).
 */
function emailHtml(content: string): string {
  if (content.trim() === "") return "";
  return content
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== "")
    .map((paragraph) => `<p>${paragraph.split("\n").map(escapeHtml).join("<br />\n")}</p>\n`)
    .join("");
}

/**
 * `process_email_content`: a public message with content gets `email.html_content` and
 * `email.text_content` (`full` and `reply` alike), from the content with CRLF made LF and Liquid
 * rendered (outgoing and template messages, the `agent` drop being the sender only), or from the
 * `email_html_content` parameter for the HTML. Keys already under `email` are kept.
 */
export function addEmailContent(message: Message, params: JsonObject, account: Account): void {
  if (message.private || !isPresent(message.content)) return;
  const normalized = (message.content ?? "").replace(/\r\n/g, "\n");
  const rendered =
    message.messageType === "outgoing" || message.messageType === "template"
      ? renderLiquid(normalized, emailDrops(message, account))
      : normalized;
  const existing = message.contentAttributes.email;
  const email: JsonMap =
    existing !== null && typeof existing === "object" ? { ...(existing as JsonMap) } : {};
  const html = isPresent(params.email_html_content) ? String(params.email_html_content) : emailHtml(rendered);
  email.html_content = { ...subKey(email.html_content), full: html, reply: html };
  email.text_content = { ...subKey(email.text_content), full: rendered, reply: rendered };
  message.contentAttributes.email = email;
}

function subKey(value: unknown): JsonMap {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonMap) : {};
}

/** `drops_with_sender`: the message drops with `agent` the sender (never the assignee). */
function emailDrops(message: Message, account: Account): JsonMap {
  const sender = message.sender;
  const agent =
    sender?.kind === "user" ? { user: sender.user } : sender?.kind === "bot" ? { bot: sender.bot } : null;
  return messageDrops({ conversation: message.conversation, account, agent });
}
