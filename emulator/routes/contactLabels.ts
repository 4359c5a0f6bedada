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

/** `POST /contacts/:id/labels` replaces the whole list; a missing or non-array `labels` clears it. */
function setContactLabels(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contact_labels#create");
  const contact = findContact(access, ctx.pathParams.contact_id);
  const raw = ctx.params.labels;
  const permitted =
    Array.isArray(raw) && raw.every((item) => !isPlainObject(item) && !Array.isArray(item)) ? raw : null;
  contact.labels = parseTagList(permitted);
  contact.updatedAtMs = Date.now();
  return jsonReply(200, { payload: contact.labels });
}

export function registerContactLabelRoutes(router: Router): void {
  router.add("GET", P, contactLabels).add("POST", P, setContactLabels);
}
