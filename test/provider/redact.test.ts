import { strict as assert } from "node:assert";
import { redactSecrets } from "../../provider/client/redact";

/** How a secret is kept out of an error text that quotes what Chatwoot (or a proxy) answered. */
describe("secret redaction", () => {
  it("replaces every occurrence of a secret, in a header, a URL or a body alike", () => {
    const token = "sentinel-token-5f1c2a9e7d";
    const page = `api_access_token: ${token}\nGET /x?api_access_token=${token}\n{"token":"${token}${token}"}`;
    assert.equal(
      redactSecrets(page, [token]),
      'api_access_token: [REDACTED]\nGET /x?api_access_token=[REDACTED]\n{"token":"[REDACTED][REDACTED]"}',
    );
  });

  it("redacts each of several secrets, skipping the ones not set", () => {
    assert.equal(
      redactSecrets("admin abcdef, bot ghijkl", [undefined, "abcdef", "", "ghijkl"]),
      "admin [REDACTED], bot [REDACTED]",
    );
  });

  it("redacts a secret of 6 characters, and leaves shorter values alone so ordinary words stay readable", () => {
    assert.equal(redactSecrets("token a1b2c3 refused", ["a1b2c3"]), "token [REDACTED] refused");
    // A value as short as a word would blank Chatwoot's own words.
    assert.equal(redactSecrets("Email has already been taken", ["Email"]), "Email has already been taken");
    assert.equal(redactSecrets("Email has already been taken", ["a"]), "Email has already been taken");
  });
});
