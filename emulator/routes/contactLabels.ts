import { accessAccount } from "../auth";
import type { RequestContext } from "../context";
import { parseTagList } from "../domain/tags";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { isPlainObject } from "../http/rubyish";
import { findContact } from "./support";

/** Contact labels: free-form tags, read and replaced wholesale by any account user. */

const P = "/api/v1/accounts/:account_id/contacts/:contact_id/labels";

function contactLabels(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contact_labels#index");
  const contact = findContact(access, ctx.pathParams.contact_id);
  return jsonReply(200, { payload: contact.labels });
}

/**
 * `POST /contacts/:id/labels` replaces the whole list; a missing or non-array `labels` clears it.
 * The contact is tagged with the installation's existing tags where the names match ignoring case,
 * so a later read shows their spelling; the answer itself is the list as parsed from the request
 * (`LabelConcern#create` renders `label_list`, still the assigned list). Contacts have no
 * `cached_label_list` column, so every later read goes through the tags.
 */
function setContactLabels(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contact_labels#create");
  const contact = findContact(access, ctx.pathParams.contact_id);
  const raw = ctx.params.labels;
  const permitted =
    Array.isArray(raw) && raw.every((item) => !isPlainObject(item) && !Array.isArray(item)) ? raw : null;
  const assigned = parseTagList(permitted);
  contact.labels = ctx.state.store.tags.findOrCreate(assigned);
  contact.updatedAtMs = Date.now();
  return jsonReply(200, { payload: assigned });
}

export function registerContactLabelRoutes(router: Router): void {
  router.add("GET", P, contactLabels).add("POST", P, setContactLabels);
}
