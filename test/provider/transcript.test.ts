import { strict as assert } from "node:assert";
import type { MessageJson } from "../../provider/chatwoot/schemas";
import {
  compareTranscripts,
  duplicateSeededMessages,
  messageSourceId,
  seedMessageAsDeclared,
  seedMessageFrom,
  seededMessages,
} from "../../provider/resources/conversation/messages";
import { UNKNOWN } from "../../provider/validation/unknown";

let nextId = 100;
const message = (fields: Partial<MessageJson>): MessageJson => ({
  id: (nextId += 1),
  message_type: 1,
  content: "",
  ...fields,
});

/**
 * How a refresh reads a conversation's seeded messages back, and how a changed transcript is
 * planned (README "Conversation"): pure functions over Chatwoot's JSON, no server needed.
 */
describe("seeded transcript", () => {
  it("marks message number n of seed s with source id pulumi-seed:s:n", () => {
    assert.equal(messageSourceId("seed-1", 0), "pulumi-seed:seed-1:0");
    assert.equal(messageSourceId("seed-1", 12), "pulumi-seed:seed-1:12");
  });

  it("finds the seeded messages by position, ignoring agents' messages and other seeds", () => {
    const first = message({ content: "Hi", source_id: "pulumi-seed:s1:0" });
    const third = message({ content: "Refund", source_id: "pulumi-seed:s1:2" });
    const seeded = seededMessages("s1", [
      message({ content: "agent reply", source_id: null }),
      message({ content: "email", source_id: "<abc@mail.example.com>" }),
      third,
      message({ content: "other seed", source_id: "pulumi-seed:s10:1" }),
      message({ content: "not a position", source_id: "pulumi-seed:s1:x" }),
      first,
    ]);
    assert.deepEqual(
      [...seeded.entries()],
      [
        [2, third],
        [0, first],
      ],
    );
  });

  it("takes the oldest copy of a message Chatwoot holds twice, and reports the later copies", () => {
    const original = message({ content: "Hi", source_id: "pulumi-seed:s1:0" });
    const reply = message({ content: "Hello", source_id: "pulumi-seed:s1:1" });
    const late = message({ content: "Hi", source_id: "pulumi-seed:s1:0" });
    const later = message({ content: "Hi", source_id: "pulumi-seed:s1:0" });
    const messages = [original, message({ content: "agent" }), reply, late, later];
    assert.equal(seededMessages("s1", messages).get(0), original);
    assert.deepEqual(duplicateSeededMessages("s1", messages), [late, later]);
    assert.deepEqual(duplicateSeededMessages("s1", [original, reply]), []);
    assert.deepEqual(duplicateSeededMessages("s2", messages), [], "another seed's messages are not ours");
  });

  describe("a message as Chatwoot holds it", () => {
    it("names Chatwoot's message types, and reads an unknown one as outgoing", () => {
      const typeOf = (message_type: number) => seedMessageFrom(message({ message_type })).messageType;
      assert.deepEqual([0, 1, 2, 3, 42].map(typeOf), [
        "incoming",
        "outgoing",
        "activity",
        "template",
        "outgoing",
      ]);
    });

    it("leaves out the defaults: not private, text, no content attributes", () => {
      assert.deepEqual(
        seedMessageFrom(
          message({
            content: null,
            message_type: 0,
            private: null,
            content_type: "text",
            content_attributes: null,
          }),
        ),
        { content: "", messageType: "incoming" },
      );
      assert.deepEqual(seedMessageFrom(message({ content: "x", private: false, content_attributes: {} })), {
        content: "x",
        messageType: "outgoing",
      });
    });

    it("keeps privacy, a known content type and the content attributes, read from JSON text too", () => {
      const items = { items: [{ title: "Pro", value: "pro" }] };
      assert.deepEqual(
        seedMessageFrom(
          message({
            content: "Which?",
            private: true,
            content_type: "input_select",
            content_attributes: items,
          }),
        ),
        {
          content: "Which?",
          messageType: "outgoing",
          private: true,
          contentType: "input_select",
          contentAttributes: items,
        },
      );
      assert.deepEqual(
        seedMessageFrom(message({ content: "Which?", content_attributes: JSON.stringify(items) }))
          .contentAttributes,
        items,
      );
    });

    it("reads an unknown content type as text, and unreadable content attributes as none", () => {
      assert.equal(seedMessageFrom(message({ content_type: "hologram" })).contentType, undefined);
      for (const content_attributes of ["{not json", "3", "null", '"text"']) {
        assert.equal(
          seedMessageFrom(message({ content_attributes })).contentAttributes,
          undefined,
          content_attributes,
        );
      }
    });
  });

  describe("a seeded message read back as declared", () => {
    const declared = {
      content: "Hello {{contact.name}}",
      messageType: "outgoing" as const,
      contentType: "input_select" as const,
      contentAttributes: { items: [{ title: "Pro", value: "pro" }] },
    };
    const stored = {
      content: "Hello Alice",
      content_type: "input_select",
      // Chatwoot adds keys of its own to what was posted.
      content_attributes: { items: [{ title: "Pro", value: "pro" }], submitted_values: [] },
      source_id: "pulumi-seed:s1:0",
    };

    it("reads content Chatwoot rendered, and keys it added, as the declaration: no drift", () => {
      assert.deepEqual(
        seedMessageAsDeclared(message(stored), { declared, storedContent: "Hello Alice" }),
        declared,
      );
      assert.deepEqual(
        seedMessageAsDeclared(message(stored), { declared, storedContent: undefined }),
        declared,
        "posted just now",
      );
    });

    it("shows content changed since it was stored, a declared key gone, or a new type as drift", () => {
      const deleted = seedMessageAsDeclared(message({ ...stored, content: "This message was deleted" }), {
        declared,
        storedContent: "Hello Alice",
      });
      assert.equal(deleted.content, "This message was deleted");
      const withoutItems = seedMessageAsDeclared(
        message({ ...stored, content_attributes: { submitted_values: [] } }),
        {
          declared,
          storedContent: "Hello Alice",
        },
      );
      assert.equal(withoutItems.contentAttributes, undefined);
      const other = seedMessageAsDeclared(
        message({ ...stored, message_type: 0, private: true, content_type: "text" }),
        {
          declared,
          storedContent: "Hello Alice",
        },
      );
      assert.deepEqual(
        { messageType: other.messageType, private: other.private, contentType: other.contentType },
        { messageType: "incoming", private: true, contentType: undefined },
      );
    });

    it("reads content that Liquid rendered empty, which Chatwoot returns as null, as the declaration", () => {
      const blank = { content: "{{ contact.nickname }}", messageType: "outgoing" as const };
      assert.deepEqual(
        seedMessageAsDeclared(message({ content: null }), { declared: blank, storedContent: "" }),
        blank,
      );
    });

    it("reads unreadable content attributes as none, so declared ones show as drift", () => {
      const read = seedMessageAsDeclared(message({ ...stored, content_attributes: "{not json" }), {
        declared,
        storedContent: "Hello Alice",
      });
      assert.equal(read.contentAttributes, undefined);
    });

    it("reads a message without a declaration as Chatwoot holds it", () => {
      assert.deepEqual(seedMessageAsDeclared(message(stored), undefined), {
        content: "Hello Alice",
        messageType: "outgoing",
        contentType: "input_select",
        contentAttributes: stored.content_attributes,
      });
    });
  });

  describe("a changed transcript", () => {
    const posted = [
      { content: "Hi", messageType: "incoming" as const },
      { content: "Hello", messageType: "outgoing" as const },
    ];

    it("is the same, appended to, or replaced when a posted message changes or goes", () => {
      assert.equal(compareTranscripts(posted, [...posted]), "same");
      assert.equal(
        compareTranscripts(posted, [...posted, { content: "More", messageType: "outgoing" }]),
        "append",
      );
      assert.equal(compareTranscripts(posted, [posted[0]]), "replace");
      assert.equal(compareTranscripts(posted, [posted[0], { ...posted[1], content: "Hello!" }]), "replace");
      assert.equal(compareTranscripts([], [posted[0]]), "append");
    });

    it("replaces when a posted message is not known yet, and appends one that is new", () => {
      assert.equal(compareTranscripts(posted, UNKNOWN), "replace");
      assert.equal(compareTranscripts(posted, [posted[0], UNKNOWN]), "replace");
      assert.equal(compareTranscripts(posted, [posted[0], { ...posted[1], content: UNKNOWN }]), "replace");
      assert.equal(compareTranscripts(posted, [...posted, UNKNOWN]), "append");
      assert.equal(compareTranscripts(posted, undefined), "same", "no transcript given: nothing to change");
    });
  });
});
