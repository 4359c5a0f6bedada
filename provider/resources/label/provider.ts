import { LabelAttributes, LabelsApi } from "../../chatwoot/labels";
import type { LabelJson } from "../../chatwoot/schemas";
import { ChatwootApiError, isNotFound } from "../../client/errors";
import { Connection, connect } from "../../dynamic/context";
import type { Implementation } from "../../dynamic/implementation";
import { checkFields } from "../../validation/check";
import { applyDefaultAccount } from "../account";
import { createExactlyOnce } from "../createOnce";
import { PartialCreateError, ProviderError, adminOnlyFailure } from "../errors";
import { diffFields } from "../fields";
import { DEFAULT_LABEL_COLOR, LabelInputs, LabelOutputs, labelFieldSchemas, labelFields } from "./spec";

/** `LabelPolicy` (chatwoot app/policies/label_policy.rb) lets only administrators past `index`. */
const ADMIN_ONLY = "show, create, change or delete labels";

export const labelImplementation: Implementation = {
  async check(_olds, news) {
    const { inputs, failures } = checkFields("Label", news, labelFieldSchemas);
    failures.push(...applyDefaultAccount(inputs));
    if (news.title === undefined || news.title === null) {
      failures.push({ property: "title", reason: "[title] is required: it names the label in Chatwoot" });
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffFields(labelFields, olds, news);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    const inputs = raw as unknown as LabelInputs & { title: string };
    const connection = connect(inputs.accountId);
    const api = new LabelsApi(connection.client, connection.accountId);
    const action = `Creating label "${inputs.title}"`;
    let existing: LabelJson | undefined;
    try {
      existing = await findByTitle(api, inputs.title);
      if (existing === undefined) {
        const label = await createLabel(api, connection, inputs);
        return {
          id: String(label.id),
          outs: { ...labelOutputs(label, connection.accountId, inputs, false) },
        };
      }
    } catch (error) {
      throw adminOnlyFailure(action, ADMIN_ONLY, error);
    }
    if (!inputs.adopt) throw clashError(inputs.title, existing, connection.accountId);
    const id = String(existing.id);
    try {
      const label = await reconcile(api, existing, inputs);
      return { id, outs: { ...labelOutputs(label, connection.accountId, inputs, true) } };
    } catch (error) {
      const outs = labelOutputs(existing, connection.accountId, inputs, true);
      throw new PartialCreateError(
        id,
        { ...outs },
        error,
        `label ${id} ("${existing.title}") exists in Chatwoot`,
      );
    }
  },

  async read(id, props) {
    const recorded = props as unknown as LabelOutputs;
    const connection = connect(recorded.accountId);
    const api = new LabelsApi(connection.client, connection.accountId);
    try {
      const label = await api.find(Number(id));
      // Gone: an empty id tells the engine to drop the resource, and the next `up` recreates it.
      if (label === undefined) return { id: "" };
      const outs = labelOutputs(label, connection.accountId, recorded, recorded.adopted ?? false);
      return { id, props: { ...outs }, inputs: impliedInputs(outs) };
    } catch (error) {
      throw adminOnlyFailure(`Reading label ${id}`, ADMIN_ONLY, error);
    }
  },

  async update(id, olds, news) {
    const recorded = olds as unknown as LabelOutputs;
    const inputs = news as LabelInputs;
    const connection = connect(inputs.accountId ?? recorded.accountId);
    const api = new LabelsApi(connection.client, connection.accountId);
    try {
      // One PATCH with every managed attribute: Chatwoot renames the tag on contacts and
      // conversations only when the title really changes (`title_previously_changed?`).
      const label = await api.update(Number(id), labelAttributes(inputs));
      return { outs: { ...labelOutputs(label, connection.accountId, inputs, recorded.adopted ?? false) } };
    } catch (error) {
      if (isNotFound(error)) {
        throw new ProviderError(
          `Updating label ${id}: it no longer exists in Chatwoot; run \`pulumi refresh\` so that the next ` +
            "`pulumi up` recreates it",
          { cause: error },
        );
      }
      if (isTitleTaken(error) && inputs.title !== undefined) {
        const holder = await findByTitle(api, inputs.title).catch(() => undefined);
        throw new ProviderError(
          `Updating label ${id}: [title] "${inputs.title}" is already the title of ` +
            `${holder === undefined ? "another label" : `label ${holder.id}`} in account ${connection.accountId} ` +
            "(Chatwoot keeps titles unique in an account); choose another title, or delete that label first",
          { cause: error },
        );
      }
      throw adminOnlyFailure(`Updating label ${id}`, ADMIN_ONLY, error);
    }
  },

  async delete(id, props) {
    const recorded = props as unknown as LabelOutputs;
    const connection = connect(recorded.accountId);
    try {
      // Already gone is fine: the goal of a delete is reached either way.
      await new LabelsApi(connection.client, connection.accountId).delete(Number(id));
    } catch (error) {
      throw adminOnlyFailure(`Deleting label ${id}`, ADMIN_ONLY, error);
    }
  },
};

/**
 * The account's label with that title. Titles are unique per account (`Label` validates it, and
 * the unique index on labels (title, account_id) enforces it), so there is at most one.
 */
async function findByTitle(api: LabelsApi, title: string): Promise<LabelJson | undefined> {
  return (await api.list()).find((label) => label.title === title);
}

function clashError(title: string, existing: LabelJson, accountId: number): ProviderError {
  return new ProviderError(
    `a label titled "${title}" already exists in account ${accountId}: label ${existing.id}. ` +
      "Set `adopt: true` to manage that label with this resource, or change [title].",
  );
}

/**
 * POSTs the label; a lost answer is followed by a lookup by title before any new attempt. A lost
 * write that lands late is refused by the title's uniqueness, which sends `createExactlyOnce`
 * looking once more, so no second label can appear.
 */
async function createLabel(
  api: LabelsApi,
  connection: Connection,
  inputs: LabelInputs & { title: string },
): Promise<LabelJson> {
  return createExactlyOnce({
    create: () => api.create(labelAttributes(inputs)),
    findCreated: () => findByTitle(api, inputs.title),
    retry: connection.retry,
  });
}

/** The attributes to send so that Chatwoot holds exactly the inputs. */
function labelAttributes(inputs: LabelInputs): LabelAttributes {
  return {
    ...(inputs.title === undefined ? {} : { title: inputs.title }),
    description: inputs.description ?? null,
    color: inputs.color ?? DEFAULT_LABEL_COLOR,
    show_on_sidebar: inputs.showOnSidebar ?? false,
  };
}

/** Brings an adopted label to the inputs, with no request when it already matches them. */
async function reconcile(api: LabelsApi, live: LabelJson, inputs: LabelInputs): Promise<LabelJson> {
  const wanted = labelAttributes(inputs);
  const held = live as unknown as Record<string, unknown>;
  const differs = Object.entries(wanted).some(
    ([key, value]) => !(isEmpty(held[key]) && isEmpty(value)) && (held[key] ?? null) !== (value ?? null),
  );
  return differs ? api.update(live.id, wanted) : live;
}

/** Chatwoot's answer to a title another label holds: 422 "Title has already been taken". */
function isTitleTaken(error: unknown): boolean {
  return (
    error instanceof ChatwootApiError &&
    error.status === 422 &&
    error.attributes.includes("title") &&
    /has already been taken/.test(error.chatwootMessage)
  );
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** The resource's outputs for a live label: every managed field as Chatwoot stored it. */
function labelOutputs(
  label: LabelJson,
  accountId: number,
  inputs: { adopt?: boolean | undefined },
  adopted: boolean,
): LabelOutputs {
  const outputs: LabelOutputs = {
    labelId: label.id,
    accountId,
    title: label.title,
    color: label.color ?? DEFAULT_LABEL_COLOR,
    // Chatwoot leaves the column null when it is never sent; its dashboard treats that as off.
    showOnSidebar: label.show_on_sidebar ?? false,
    adopted,
  };
  if (!isEmpty(label.description)) outputs.description = label.description as string;
  if (inputs.adopt !== undefined) outputs.adopt = inputs.adopt;
  return outputs;
}

/** The inputs a live label implies, so that a refresh makes later diffs compare against reality. */
function impliedInputs(outputs: LabelOutputs): Record<string, unknown> {
  const { labelId: _labelId, adopted: _adopted, ...inputs } = outputs;
  return { ...inputs };
}
