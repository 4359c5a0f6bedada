import { internalServerError, recordInvalid } from "../errors";
import {
  castBoolean,
  castString,
  isBlank,
  isPlainObject,
  isPresent,
  permittedScalar,
  rubyToS,
  type JsonObject,
} from "../http/rubyish";
import type { Store } from "../store/store";
import type { Account, Contact, JsonMap } from "../store/types";
import { checkColumnLength, STRING_COLUMN_LIMIT, ValidationErrors } from "./validation";

/**
 * Contact rules from `app/models/contact.rb`: email lower-cased (blank → null), per-account uniqueness
 * of email (case-insensitive), phone number (exact) and identifier (case-sensitive), the E.164 check
 * anchored only at the end, 255-character string columns.
 */

/** Devise's `email_regexp` with Ruby's ASCII-only `\s`. */
const EMAIL_FORMAT = /^[^@ \t\r\n\f\v]+@[^@ \t\r\n\f\v]+$/;
/** Chatwoot's phone check: `/\+[1-9]\d{1,14}\z/` — there is no start anchor. */
const PHONE_FORMAT = /\+[1-9]\d{1,14}$/;

/** The permitted contact parameters present in a request; `undefined` means "not sent". */
export interface ContactInput {
  name?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
  identifier?: string | null;
  blocked?: boolean | null;
  additionalAttributes?: JsonMap;
  customAttributes?: JsonMap;
}

function scalarString(params: JsonObject, key: string): string | null | undefined {
  const value = permittedScalar(params[key]);
  return value === undefined ? undefined : castString(value);
}

/** `params.permit(:name, :identifier, :email, :phone_number, :blocked, additional_attributes: {}, custom_attributes: {})`. */
export function readContactInput(params: JsonObject): ContactInput {
  const input: ContactInput = {};
  const name = scalarString(params, "name");
  if (name !== undefined) input.name = name;
  const email = scalarString(params, "email");
  if (email !== undefined) input.email = email;
  const phoneNumber = scalarString(params, "phone_number");
  if (phoneNumber !== undefined) input.phoneNumber = phoneNumber;
  const identifier = scalarString(params, "identifier");
  if (identifier !== undefined) input.identifier = identifier;
  const blocked = permittedScalar(params.blocked);
  if (blocked !== undefined) input.blocked = castBoolean(blocked);
  if (isPlainObject(params.additional_attributes)) input.additionalAttributes = params.additional_attributes;
  if (isPlainObject(params.custom_attributes)) input.customAttributes = params.custom_attributes;
  return input;
}

interface ContactFields {
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
  blocked: boolean | null;
  additionalAttributes: JsonMap;
  customAttributes: JsonMap;
}

function validateContact(
  account: Account,
  fields: ContactFields,
  rawEmail: string | null,
  current: Contact | null,
): ValidationErrors {
  const errors = new ValidationErrors();
  // String columns in table order; location/country_code hold what the previous save copied.
  checkColumnLength(errors, "name", fields.name, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "email", rawEmail, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "phone_number", fields.phoneNumber, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "identifier", fields.identifier, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "location", current?.location ?? "", STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "country_code", current?.countryCode ?? "", STRING_COLUMN_LIMIT);

  const selfId = current?.id;
  if (fields.email !== null) {
    const holder = account.contactIdByEmail.get(fields.email);
    if (holder !== undefined && holder !== selfId) errors.add("email", "has already been taken");
    if (!EMAIL_FORMAT.test(fields.email)) errors.add("email", "Invalid email");
  }
  if (fields.identifier !== null && isPresent(fields.identifier)) {
    const holder = account.contactIdByIdentifier.get(fields.identifier);
    if (holder !== undefined && holder !== selfId) errors.add("identifier", "has already been taken");
  }
  if (fields.phoneNumber !== null && isPresent(fields.phoneNumber)) {
    const holder = account.contactIdByPhone.get(fields.phoneNumber);
    if (holder !== undefined && holder !== selfId) errors.add("phone_number", "has already been taken");
    if (!PHONE_FORMAT.test(fields.phoneNumber)) errors.add("phone_number", "should be in e164 format");
  }
  return errors;
}

/** Constraints only the database enforces, which surface as unrescued exceptions (500). */
function checkDatabaseConstraints(account: Account, fields: ContactFields, current: Contact | null): void {
  if (fields.blocked === null) throw internalServerError();
  if (fields.identifier !== null && isBlank(fields.identifier)) {
    const holder = account.contactIdByIdentifier.get(fields.identifier);
    if (holder !== undefined && holder !== current?.id) throw internalServerError();
  }
}

function stringColumn(value: unknown): string | null {
  return value === undefined || value === null ? null : rubyToS(value);
}

function socialDetailsPresent(additionalAttributes: JsonMap): boolean {
  return Object.entries(additionalAttributes).some(
    ([key, value]) => key.startsWith("social_") && isPresent(value),
  );
}

/** `Contacts::SyncAttributes`, run before save (after validation). */
function syncAttributes(contact: Contact): void {
  contact.location = stringColumn(contact.additionalAttributes.city);
  contact.countryCode = stringColumn(contact.additionalAttributes.country);
  if (contact.contactType === "visitor") {
    if (
      isPresent(contact.email) ||
      isPresent(contact.phoneNumber) ||
      socialDetailsPresent(contact.additionalAttributes)
    ) {
      contact.contactType = "lead";
    }
  }
}

function normaliseFields(
  base: ContactFields,
  input: ContactInput,
): { fields: ContactFields; rawEmail: string | null } {
  const rawEmail = input.email !== undefined ? input.email : base.email;
  const fields: ContactFields = {
    name: input.name !== undefined ? input.name : base.name,
    email: rawEmail !== null && isPresent(rawEmail) ? rawEmail.toLowerCase() : null,
    phoneNumber: input.phoneNumber !== undefined ? input.phoneNumber : base.phoneNumber,
    identifier: input.identifier !== undefined ? input.identifier : base.identifier,
    blocked: input.blocked !== undefined ? input.blocked : base.blocked,
    additionalAttributes: isBlank(base.additionalAttributes) ? {} : base.additionalAttributes,
    customAttributes: isBlank(base.customAttributes) ? {} : base.customAttributes,
  };
  return { fields, rawEmail };
}

/** Validates and stores a new contact; throws the 422/500 Chatwoot would answer. */
export function createContact(store: Store, account: Account, input: ContactInput): Contact {
  const base: ContactFields = {
    name: "",
    email: null,
    phoneNumber: null,
    identifier: null,
    blocked: false,
    additionalAttributes: input.additionalAttributes ?? {},
    customAttributes: input.customAttributes ?? {},
  };
  const { fields, rawEmail } = normaliseFields(base, input);
  const errors = validateContact(account, fields, rawEmail, null);
  if (!errors.empty) throw recordInvalid(errors);
  checkDatabaseConstraints(account, fields, null);

  const now = Date.now();
  const contact: Contact = {
    id: store.nextId("contacts"),
    accountId: account.id,
    name: fields.name,
    email: fields.email,
    phoneNumber: fields.phoneNumber,
    identifier: fields.identifier,
    blocked: fields.blocked ?? false,
    additionalAttributes: fields.additionalAttributes,
    customAttributes: fields.customAttributes,
    location: "",
    countryCode: "",
    contactType: "visitor",
    lastActivityAtMs: null,
    createdAtMs: now,
    updatedAtMs: now,
    labels: [],
    contactInboxes: [],
    conversations: [],
    deleted: false,
  };
  syncAttributes(contact);
  account.contacts.set(contact.id, contact);
  store.indexContact(account, contact);
  return contact;
}

/**
 * `PATCH /contacts/:id`: scalars replaced, `custom_attributes` shallow-merged into the stored
 * object, `additional_attributes` too from the release that merges them, replaced before.
 */
export function updateContact(store: Store, account: Account, contact: Contact, input: ContactInput): void {
  const merge = store.release.contactUpdateMergesAdditionalAttributes;
  const base: ContactFields = {
    name: contact.name,
    email: contact.email,
    phoneNumber: contact.phoneNumber,
    identifier: contact.identifier,
    blocked: contact.blocked,
    additionalAttributes: input.additionalAttributes
      ? merge
        ? { ...contact.additionalAttributes, ...input.additionalAttributes }
        : { ...input.additionalAttributes }
      : contact.additionalAttributes,
    customAttributes: input.customAttributes
      ? { ...contact.customAttributes, ...input.customAttributes }
      : contact.customAttributes,
  };
  saveContactFields(store, account, contact, base, input);
}

/** Replaces the custom attributes (used by `destroy_custom_attributes`) and saves with full validation. */
export function replaceCustomAttributes(
  store: Store,
  account: Account,
  contact: Contact,
  customAttributes: JsonMap,
): void {
  const base: ContactFields = {
    name: contact.name,
    email: contact.email,
    phoneNumber: contact.phoneNumber,
    identifier: contact.identifier,
    blocked: contact.blocked,
    additionalAttributes: contact.additionalAttributes,
    customAttributes,
  };
  saveContactFields(store, account, contact, base, {});
}

function saveContactFields(
  store: Store,
  account: Account,
  contact: Contact,
  base: ContactFields,
  input: ContactInput,
): void {
  const { fields, rawEmail } = normaliseFields(base, input);
  const errors = validateContact(account, fields, rawEmail, contact);
  if (!errors.empty) throw recordInvalid(errors);
  checkDatabaseConstraints(account, fields, contact);

  store.unindexContact(account, contact);
  contact.name = fields.name;
  contact.email = fields.email;
  contact.phoneNumber = fields.phoneNumber;
  contact.identifier = fields.identifier;
  contact.blocked = fields.blocked ?? false;
  contact.additionalAttributes = fields.additionalAttributes;
  contact.customAttributes = fields.customAttributes;
  contact.updatedAtMs = Date.now();
  syncAttributes(contact);
  store.indexContact(account, contact);
}

/** Sets `blocked` without validation, as `contact.update(blocked:)` does on mute/unmute (errors ignored). */
export function setBlocked(contact: Contact, blocked: boolean): void {
  contact.blocked = blocked;
  contact.updatedAtMs = Date.now();
}

/** "Resolved" contacts: an email, phone number or identifier that is not the empty string. */
export function isResolvedContact(contact: Contact): boolean {
  return (
    (contact.email !== null && contact.email !== "") ||
    (contact.phoneNumber !== null && contact.phoneNumber !== "") ||
    (contact.identifier !== null && contact.identifier !== "")
  );
}
