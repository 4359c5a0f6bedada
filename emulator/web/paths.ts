import type { ConversationStatus } from "../store/types";

/** The web view's own URLs, built in one place so links and routes cannot drift apart. */

export function accountPath(accountId: number, page = 1): string {
  return `/accounts/${accountId}${page > 1 ? `?page=${page}` : ""}`;
}

export function contactPath(accountId: number, contactId: number, page = 1): string {
  return `/accounts/${accountId}/contacts/${contactId}${page > 1 ? `?page=${page}` : ""}`;
}

/** The conversation list, optionally of one status only. */
export function conversationsPath(accountId: number, status?: ConversationStatus, page = 1): string {
  const query: string[] = [];
  if (status !== undefined) query.push(`status=${status}`);
  if (page > 1) query.push(`page=${page}`);
  return `/accounts/${accountId}/conversations${query.length > 0 ? `?${query.join("&")}` : ""}`;
}

export function conversationPath(accountId: number, displayId: number): string {
  return `/accounts/${accountId}/conversations/${displayId}`;
}

/** The API-inbox callbacks the emulator sent for an account. */
export function callbacksPath(accountId: number): string {
  return `/accounts/${accountId}/callbacks`;
}
