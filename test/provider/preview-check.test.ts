import { strict as assert } from "node:assert";
import { setStackConfig } from "../../provider/dynamic/context";
import { apiInboxImplementation } from "../../provider/resources/apiInbox/provider";
import { contactImplementation } from "../../provider/resources/contact/provider";
import { UNKNOWN } from "../../provider/validation/unknown";

/**
 * `check` during a preview: an input that holds a value not known yet, at any depth, is passed
 * through as given and checked once known; the rest of the input is read as usual. No server.
 */
describe("check of inputs not known yet", () => {
  before(() => setStackConfig({ accountId: "1" }));
  after(() => setStackConfig({}));

  it("passes a list with an item not known yet, instead of refusing that item's type", async () => {
    // An inbox member taken from another resource's output, during the preview that creates it.
    const result = await apiInboxImplementation.check({}, { name: "Support", agentIds: [3, UNKNOWN] });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, { name: "Support", agentIds: [3, UNKNOWN], accountId: 1 });
  });

  it("finds a value not known yet inside an object, past keys that hold null", async () => {
    const result = await contactImplementation.check(
      {},
      { identifier: "x", customAttributes: { cleared: null, nested: { plan: UNKNOWN } } },
    );
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs?.customAttributes, { cleared: null, nested: { plan: UNKNOWN } });
  });

  it("still checks an input whose values are all known", async () => {
    const result = await apiInboxImplementation.check({}, { name: "Support", agentIds: [3, "4"] });
    assert.deepEqual(
      result.failures?.map((failure) => failure.reason),
      ["[agentIds.1] must be a number"],
    );
  });
});
