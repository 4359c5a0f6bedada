/**
 * The pure engine rules of the harness: wire encoding, secret annotation, diff fallback, deletion
 * scheduling, state serialization.
 */
import { strict as assert } from "assert";
import { changedInputKeys, checkFailureMessage, durationToSeconds } from "../../harness/engineRules";
import {
  dropDanglingReferences,
  scheduleDeletes,
  serializeState,
  type ResourceState,
} from "../../harness/state";
import { makeUrn, parseUrn } from "../../harness/urn";
import {
  annotateSecrets,
  containsUnknowns,
  dropUnknowns,
  isSecret,
  markSecretOutputs,
  propertyValuesEqual,
  secret,
  stripSecrets,
  unknown,
} from "../../harness/wire";

describe("harness wire values", function () {
  it("wraps, recognises and deeply strips secrets", function () {
    assert.deepEqual(secret("s"), {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "s",
    });
    assert.ok(isSecret(secret(1)));
    assert.ok(!isSecret({ value: 1 }));
    assert.deepEqual(stripSecrets({ a: secret({ b: secret("x") }), list: [secret(1), 2] }), {
      a: { b: "x" },
      list: [1, 2],
    });
  });

  it("re-marks same-named outputs like the engine's annotateSecrets", function () {
    const inputs = {
      token: secret("t"),
      nested: { inner: secret("i"), plain: "p" },
      list: ["a", secret("b")],
      name: "n",
    };
    const outputs = {
      token: "t",
      nested: { inner: "i", plain: "p" },
      list: ["a", "b"],
      name: "n",
      extra: "e",
    };
    assert.deepEqual(annotateSecrets(outputs, inputs), {
      token: secret("t"),
      nested: { inner: secret("i"), plain: "p" },
      list: secret(["a", "b"]),
      name: "n",
      extra: "e",
    });
    assert.equal(outputs.token, "t", "the outputs passed in are not modified");
    assert.deepEqual(annotateSecrets({ obj: { a: 1 } }, { obj: secret({ a: 1 }) }), {
      obj: secret({ a: 1 }),
    });
    assert.deepEqual(annotateSecrets({ token: "t", name: "n" }, ["token"]), {
      token: secret("t"),
      name: "n",
    });
  });

  it("marks additionalSecretOutputs and outputs whose top-level input is secret, never id", function () {
    assert.deepEqual(
      markSecretOutputs({ a: 1, b: 2, id: "x", c: 3 }, { c: secret(3) }, ["a", "id", "missing"]),
      {
        a: secret(1),
        b: 2,
        id: "x",
        c: secret(3),
      },
    );
  });

  it("finds and drops unknowns", function () {
    assert.ok(containsUnknowns({ a: [1, { b: unknown }] }));
    assert.ok(!containsUnknowns({ a: [1, { b: "known" }] }));
    assert.deepEqual(dropUnknowns({ a: unknown, b: [unknown, 1], c: { d: unknown, e: 2 } }), {
      b: [1],
      c: { e: 2 },
    });
  });

  it("compares values structurally, ignoring key order", function () {
    assert.ok(propertyValuesEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
    assert.ok(!propertyValuesEqual({ a: 1 }, { a: 1, b: null }));
    assert.ok(!propertyValuesEqual([1, 2], [2, 1]));
  });
});

describe("harness engine rules", function () {
  it("DIFF_UNKNOWN fallback: changed keys with secrets unwrapped, unknown always a change", function () {
    assert.deepEqual(changedInputKeys({ a: secret("x"), b: 1, gone: 1 }, { a: "x", b: 2, added: 1 }).sort(), [
      "added",
      "b",
      "gone",
    ]);
    assert.deepEqual(changedInputKeys({ a: unknown }, { a: unknown }), ["a"]);
  });

  it("formats check failures like the CLI", function () {
    const urn = makeUrn("dev", "p", "pulumi-nodejs:dynamic/toy:Record", "r");
    assert.equal(
      checkFailureMessage(urn, { email: "x" }, { property: "email", reason: "bad" }),
      "pulumi-nodejs:dynamic/toy:Record resource 'r': property email value {x} has a problem: bad",
    );
    assert.equal(
      checkFailureMessage(urn, {}, { property: "", reason: "bad" }),
      "pulumi-nodejs:dynamic/toy:Record resource 'r' has a problem: bad",
    );
  });

  it("converts customTimeouts durations to seconds", function () {
    assert.equal(durationToSeconds("1h30m"), 5400);
    assert.equal(durationToSeconds("1.5s"), 1.5);
    assert.equal(durationToSeconds(undefined), 0);
    assert.throws(() => durationToSeconds("5 minutes"), /invalid duration/);
  });

  it("builds and parses URNs, leaving the root stack out of the qualified type", function () {
    const stackUrn = makeUrn("dev", "p", "pulumi:pulumi:Stack", "p-dev");
    const componentUrn = makeUrn("dev", "p", "my:Seed", "seed", stackUrn);
    assert.equal(componentUrn, "urn:pulumi:dev::p::my:Seed::seed");
    const childUrn = makeUrn("dev", "p", "pulumi-nodejs:dynamic:Resource", "a::b", componentUrn);
    assert.equal(childUrn, "urn:pulumi:dev::p::my:Seed$pulumi-nodejs:dynamic:Resource::a::b");
    assert.deepEqual(parseUrn(childUrn), {
      stack: "dev",
      project: "p",
      qualifiedType: "my:Seed$pulumi-nodejs:dynamic:Resource",
      type: "pulumi-nodejs:dynamic:Resource",
      name: "a::b",
    });
  });
});

describe("harness state", function () {
  const resource = (urn: string, dependencies: string[] = [], parent?: string): ResourceState => ({
    urn,
    type: "t",
    custom: true,
    id: urn,
    ...(parent ? { parent } : {}),
    inputs: {},
    outputs: {},
    dependencies,
  });

  it("schedules deletes in antichains, dependents (and children) first", function () {
    const a = resource("a");
    const b = resource("b", ["a"]);
    const c = resource("c", [], "a");
    const d = resource("d", ["b"]);
    const e = resource("e");
    const chains = scheduleDeletes([a, b, c, d, e]).map((chain) => chain.map((r) => r.urn).sort());
    assert.deepEqual(chains, [["d"], ["b", "c"], ["a", "e"]]);
  });

  it("drops references to resources a refresh removed, re-parenting to the nearest survivor", function () {
    const kept = dropDanglingReferences([resource("a"), resource("c", ["a", "b"], "b")].map((r) => r));
    assert.deepEqual(kept[1]?.dependencies, ["a"]);
    assert.equal(kept[1]?.parent, undefined);
  });

  it("serializes secrets encrypted, plaintext only on request", function () {
    const state = [
      {
        ...resource("a"),
        inputs: { token: secret("plain-token") },
        outputs: { token: secret("plain-token") },
      },
    ];
    const json = serializeState(state);
    assert.doesNotMatch(json, /plain-token/);
    assert.match(json, /"ciphertext": "v1:/);
    assert.match(serializeState(state, true), /plain-token/);
  });
});
