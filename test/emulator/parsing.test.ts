import assert from "node:assert/strict";
import { parseTagList } from "../../emulator/domain/tags";
import { likePattern } from "../../emulator/filters/like";
import { parseBody, parseNestedQuery } from "../../emulator/http/params";
import { normalisePath } from "../../emulator/http/router";
import {
  castBoolean,
  charLength,
  humanizeAttribute,
  isBlank,
  rubyToI,
  toRecordId,
} from "../../emulator/http/rubyish";
import { redactedTarget } from "../../emulator/log";

describe("emulator: Rails/Ruby request semantics", () => {
  it("parses Rack's nested query syntax", () => {
    assert.deepEqual(parseNestedQuery("labels[]=a&labels[]=b&page=2"), { labels: ["a", "b"], page: "2" });
    assert.deepEqual(parseNestedQuery("contact[name]=Ann+Lee&contact[tags][]=x"), {
      contact: { name: "Ann Lee", tags: ["x"] },
    });
    assert.deepEqual(parseNestedQuery("payload[][key]=a&payload[][op]=b&payload[][key]=c"), {
      payload: [{ key: "a", op: "b" }, { key: "c" }],
    });
    assert.deepEqual(parseNestedQuery("flag&q=%E2%9C%93"), { flag: null, q: "✓" });
  });

  it("parses bodies like Rails: invalid JSON fails, non-objects go under _json, unknown types add nothing", () => {
    assert.deepEqual(parseBody("application/json; charset=utf-8", '{"a":1}'), {
      ok: true,
      params: { a: 1 },
      isJson: true,
    });
    assert.deepEqual(parseBody("application/json", "[1]"), {
      ok: true,
      params: { _json: [1] },
      isJson: true,
    });
    assert.deepEqual(parseBody("application/json", "   "), { ok: true, params: {}, isJson: true });
    assert.deepEqual(parseBody("application/json", "{"), { ok: false });
    assert.deepEqual(parseBody("text/plain", "{"), { ok: true, params: {}, isJson: false });
  });

  it("reads values the way Ruby and ActiveModel do", () => {
    assert.equal(rubyToI("12abc"), 12);
    assert.equal(rubyToI(" -3"), -3);
    assert.equal(rubyToI("abc"), 0);
    assert.equal(toRecordId("abc"), null);
    assert.equal(toRecordId("7"), 7);
    assert.equal(toRecordId("99999999999"), null);
    assert.deepEqual(
      [castBoolean("false"), castBoolean("0"), castBoolean("yes"), castBoolean("")],
      [false, false, true, null],
    );
    assert.deepEqual(
      [isBlank("  "), isBlank([]), isBlank({}), isBlank(0), isBlank(false)],
      [true, true, true, false, true],
    );
    assert.equal(charLength("😀é"), 2, "code points, not UTF-16 units");
    assert.equal(humanizeAttribute("phone_number"), "Phone number");
    assert.equal(humanizeAttribute("source_id"), "Source");
  });

  it("parses label lists like acts-as-taggable-on", () => {
    assert.deepEqual(parseTagList(["a, b", " c ", "A", ""]), ["a", "b", "c"]);
    assert.deepEqual(parseTagList("x,y"), ["x", "y"]);
    assert.deepEqual(parseTagList(null), []);
  });

  it("treats % and _ in LIKE patterns as wildcards and \\ as an escape", () => {
    assert.ok(likePattern("%a_c%", false).test("xxabcxx"));
    assert.ok(!likePattern("%a\\_c%", false).test("abc"));
    assert.ok(likePattern("%ABC%", true).test("xabcx"));
    assert.ok(!likePattern("%ABC%", false).test("xabcx"));
  });

  it("normalises paths as Rails routing sees them and redacts secrets in logged URLs", () => {
    assert.equal(normalisePath("/api/v1/contacts/"), "/api/v1/contacts");
    assert.equal(normalisePath("/api/v1/contacts/1.json"), "/api/v1/contacts/1");
    assert.equal(normalisePath("/"), "/");
    assert.equal(redactedTarget("/x?api_access_token=abc&q=1"), "/x?api_access_token=[REDACTED]&q=1");
  });
});
