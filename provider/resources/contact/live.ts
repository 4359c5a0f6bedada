import { labelsAsSet } from "../../validation/rules";
import type { ContactsApi } from "../../chatwoot/contacts";
import type { ContactJson } from "../../chatwoot/schemas";
import type { ContactOutputs } from "./spec";

/** A contact as Chatwoot holds it now, with its labels (which the contact JSON leaves out). */
export interface LiveContact {
  readonly contact: ContactJson;
  readonly labels: string[];
}

export async function readLiveContact(api: ContactsApi, contactId: number): Promise<LiveContact | undefined> {
  const contact = await api.find(contactId);
  if (contact === undefined) return undefined;
  return { contact, labels: await api.labels(contactId) };
}

/** The contact inbox a contact resource tracks: in `inboxId`, preferably with `sourceId`. */
export function findSession(
  contact: ContactJson,
  inboxId: number,
  sourceId: string | undefined,
): { inboxId: number; sourceId: string } | undefined {
  const sessions = (contact.contact_inboxes ?? []).filter((session) => session.inbox?.id === inboxId);
  const match =
    sourceId === undefined ? sessions[0] : sessions.find((session) => session.source_id === sourceId);
  return match === undefined ? undefined : { inboxId, sourceId: match.source_id };
}

export interface OutputContext {
  readonly accountId: number;
  /** Additional-attribute keys the program manages (Chatwoot may hold more). */
  readonly managedAdditionalKeys: readonly string[];
  /** The contact inbox the resource tracks, if any. */
  readonly session: { inboxId: number; sourceId: string | undefined } | undefined;
  readonly adopt: boolean | undefined;
  readonly adopted: boolean;
  /**
   * `blocked` as the provider last wrote it. Chatwoot before 4.0.2 leaves `blocked` out of the
   * contact JSON (chatwoot app/views/api/v1/models/_contact.json.jbuilder) although it stores it, so
   * there the written value stands in and a change made in the dashboard is not seen.
   */
  readonly blockedIfUnreported: boolean;
}

/** The resource's outputs for a live contact: every managed field as Chatwoot stored it. */
export function contactOutputs(live: LiveContact, context: OutputContext): ContactOutputs {
  const { contact } = live;
  const additional = contact.additional_attributes ?? {};
  const managedAdditional: Record<string, unknown> = {};
  for (const key of context.managedAdditionalKeys) {
    const value = additional[key];
    if (value !== undefined && value !== null) managedAdditional[key] = value;
  }
  const outputs: ContactOutputs = {
    contactId: contact.id,
    accountId: context.accountId,
    name: contact.name ?? "",
    blocked: contact.blocked ?? context.blockedIfUnreported,
    customAttributes: { ...(contact.custom_attributes ?? {}) },
    additionalAttributes: managedAdditional,
    labels: labelsAsSet(live.labels),
    adopted: context.adopted,
  };
  if (nonEmpty(contact.email)) outputs.email = contact.email;
  if (nonEmpty(contact.phone_number)) outputs.phoneNumber = contact.phone_number;
  if (nonEmpty(contact.identifier)) outputs.identifier = contact.identifier;
  if (context.adopt !== undefined) outputs.adopt = context.adopt;
  if (context.session !== undefined) {
    const session = findSession(contact, context.session.inboxId, context.session.sourceId);
    if (session !== undefined) {
      outputs.inboxId = session.inboxId;
      outputs.sourceId = session.sourceId;
    }
  }
  return outputs;
}

function nonEmpty(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value !== "";
}
