import { strict as assert } from "node:assert";
import {
  ConfigurationError,
  resolveAccountId,
  resolveSettings,
  stackConfigFrom,
} from "../../provider/config/settings";

const TOKEN = "sentinel-token-5f1c2a9e7d";

function configOf(values: Record<string, string>) {
  return stackConfigFrom({ get: (key: string) => values[key] });
}

describe("provider settings", () => {
  it("reads chatwoot:* stack config, with defaults for the tuning keys", () => {
    const settings = resolveSettings(
      configOf({
        "chatwoot:url": "http://127.0.0.1:3000",
        "chatwoot:accountId": "4",
        "chatwoot:apiAccessToken": TOKEN,
      }),
      {},
    );
    assert.equal(settings.url.toString(), "http://127.0.0.1:3000/");
    assert.equal(settings.accountId, 4);
    assert.equal(settings.apiAccessToken, TOKEN);
    assert.deepEqual(
      {
        requestTimeoutMs: settings.requestTimeoutMs,
        maxRetries: settings.maxRetries,
        retryBaseDelayMs: settings.retryBaseDelayMs,
        maxConcurrency: settings.maxConcurrency,
        requestsPerMinute: settings.requestsPerMinute,
        rateLimitWindowMs: settings.rateLimitWindowMs,
      },
      // The README's defaults.
      {
        requestTimeoutMs: 30_000,
        maxRetries: 4,
        retryBaseDelayMs: 250,
        maxConcurrency: 8,
        requestsPerMinute: 1_500,
        rateLimitWindowMs: 60_000,
      },
    );
  });

  it("reads each setting from its environment variable, by the exact name the README gives", () => {
    // Spelled out here, not taken from the code: a misspelt variable must fail this test.
    const env = {
      CHATWOOT_URL: "https://env.example.com",
      CHATWOOT_ACCOUNT_ID: "9",
      CHATWOOT_API_ACCESS_TOKEN: TOKEN,
      CHATWOOT_REQUEST_TIMEOUT_MS: "1234",
      CHATWOOT_MAX_RETRIES: "0",
      CHATWOOT_RETRY_BASE_DELAY_MS: "77",
      CHATWOOT_MAX_CONCURRENCY: "2",
      CHATWOOT_REQUESTS_PER_MINUTE: "33",
      CHATWOOT_RATE_LIMIT_WINDOW_MS: "5000",
      CHATWOOT_ALLOW_INSECURE_HTTP: "true",
    };
    const settings = resolveSettings({}, env);
    assert.deepEqual(
      { ...settings, url: settings.url.toString() },
      {
        url: "https://env.example.com/",
        accountId: 9,
        apiAccessToken: TOKEN,
        requestTimeoutMs: 1234,
        maxRetries: 0,
        retryBaseDelayMs: 77,
        maxConcurrency: 2,
        requestsPerMinute: 33,
        rateLimitWindowMs: 5000,
        allowInsecureHttp: true,
      },
    );
  });

  it("reads each setting from its chatwoot:* stack config key, which wins over the environment", () => {
    const env = {
      CHATWOOT_URL: "https://env.example.com",
      CHATWOOT_ACCOUNT_ID: "9",
      CHATWOOT_API_ACCESS_TOKEN: "env-token-123456",
      CHATWOOT_REQUEST_TIMEOUT_MS: "1234",
      CHATWOOT_MAX_RETRIES: "1",
      CHATWOOT_RETRY_BASE_DELAY_MS: "77",
      CHATWOOT_MAX_CONCURRENCY: "2",
      CHATWOOT_REQUESTS_PER_MINUTE: "33",
      CHATWOOT_RATE_LIMIT_WINDOW_MS: "5000",
      CHATWOOT_ALLOW_INSECURE_HTTP: "false",
    };
    const settings = resolveSettings(
      configOf({
        "chatwoot:url": "https://stack.example.com",
        "chatwoot:accountId": "3",
        "chatwoot:apiAccessToken": TOKEN,
        "chatwoot:requestTimeoutMs": "4321",
        "chatwoot:maxRetries": "0",
        "chatwoot:retryBaseDelayMs": "88",
        "chatwoot:maxConcurrency": "5",
        "chatwoot:requestsPerMinute": "44",
        "chatwoot:rateLimitWindowMs": "6000",
        "chatwoot:allowInsecureHttp": "true",
      }),
      env,
    );
    assert.deepEqual(
      { ...settings, url: settings.url.toString() },
      {
        url: "https://stack.example.com/",
        accountId: 3,
        apiAccessToken: TOKEN,
        requestTimeoutMs: 4321,
        maxRetries: 0,
        retryBaseDelayMs: 88,
        maxConcurrency: 5,
        requestsPerMinute: 44,
        rateLimitWindowMs: 6000,
        allowInsecureHttp: true,
      },
    );
  });

  it("treats an empty environment variable as unset", () => {
    const settings = resolveSettings(
      {},
      { CHATWOOT_URL: "https://x", CHATWOOT_API_ACCESS_TOKEN: TOKEN, CHATWOOT_MAX_RETRIES: "" },
    );
    assert.equal(settings.maxRetries, 4);
  });

  it("falls back to CHATWOOT_* environment variables, and prefers stack config", () => {
    const env = {
      CHATWOOT_URL: "https://env.example.com",
      CHATWOOT_ACCOUNT_ID: "9",
      CHATWOOT_API_ACCESS_TOKEN: TOKEN,
      CHATWOOT_MAX_CONCURRENCY: "2",
    };
    const fromEnv = resolveSettings({}, env);
    assert.equal(fromEnv.url.host, "env.example.com");
    assert.equal(fromEnv.accountId, 9);
    assert.equal(fromEnv.maxConcurrency, 2);
    const mixed = resolveSettings(configOf({ "chatwoot:accountId": "3" }), env);
    assert.equal(mixed.accountId, 3);
  });

  it("names the missing key and how to set it", () => {
    assert.throws(
      () => resolveSettings({}, { CHATWOOT_API_ACCESS_TOKEN: TOKEN }),
      (error: Error) =>
        error instanceof ConfigurationError &&
        error.message.includes("pulumi config set chatwoot:url") &&
        error.message.includes("CHATWOOT_URL"),
    );
    assert.throws(
      () => resolveSettings({}, { CHATWOOT_URL: "http://x" }),
      /pulumi config set --secret chatwoot:apiAccessToken <token>.*CHATWOOT_API_ACCESS_TOKEN/,
    );
  });

  it("refuses invalid values with the key and the rule, never echoing the token", () => {
    const base = { CHATWOOT_URL: "https://x", CHATWOOT_API_ACCESS_TOKEN: TOKEN };
    assert.throws(
      () => resolveSettings({}, { ...base, CHATWOOT_URL: "ftp://x" }),
      /chatwoot:url.*http or https/,
    );
    assert.throws(
      () => resolveSettings({}, { ...base, CHATWOOT_URL: "not a url" }),
      /chatwoot:url.*absolute/,
    );
    // A user name alone, or a password alone, is a credential too.
    for (const url of [`https://user:${TOKEN}@x`, "https://user@x", `https://:${TOKEN}@x`]) {
      assert.throws(
        () => resolveSettings({}, { ...base, CHATWOOT_URL: url }),
        (error: Error) =>
          /must not contain credentials/.test(error.message) && !error.message.includes(TOKEN),
        url,
      );
    }
    assert.throws(
      () => resolveSettings({}, { ...base, CHATWOOT_ACCOUNT_ID: "x1" }),
      /chatwoot:accountId.*positive integer/,
    );
    assert.throws(
      () => resolveSettings({}, { ...base, CHATWOOT_REQUESTS_PER_MINUTE: "0" }),
      /chatwoot:requestsPerMinute.*at least 1/,
    );
  });

  it("refuses plain http to another host unless chatwoot:allowInsecureHttp says the network is trusted", () => {
    const base = { CHATWOOT_API_ACCESS_TOKEN: TOKEN };
    for (const url of [
      "http://127.0.0.1:3000",
      "http://127.8.0.2",
      "http://localhost:3000",
      "http://[::1]:3000",
    ]) {
      assert.equal(resolveSettings({}, { ...base, CHATWOOT_URL: url }).url.protocol, "http:", url);
    }
    for (const url of ["http://chatwoot.internal", "http://10.0.0.5:3000", "http://127.example.com"]) {
      assert.throws(
        () => resolveSettings({}, { ...base, CHATWOOT_URL: url }),
        (error: Error) =>
          /Invalid chatwoot:url \(or CHATWOOT_URL\): uses plain http to .*clear text.*chatwoot:allowInsecureHttp/.test(
            error.message,
          ) && !error.message.includes(TOKEN),
        url,
      );
    }
    const allowed = configOf({
      "chatwoot:url": "http://chatwoot.internal",
      "chatwoot:allowInsecureHttp": "true",
    });
    assert.equal(resolveSettings(allowed, base).url.host, "chatwoot.internal");
    const fromEnv = { ...base, CHATWOOT_URL: "http://x", CHATWOOT_ALLOW_INSECURE_HTTP: "true" };
    assert.equal(resolveSettings({}, fromEnv).allowInsecureHttp, true);
    assert.throws(
      () => resolveSettings({}, { ...base, CHATWOOT_URL: "https://x", CHATWOOT_ALLOW_INSECURE_HTTP: "yes" }),
      /chatwoot:allowInsecureHttp.*true or false/,
    );
  });

  it("says exactly which key or variable to set when the URL or token is missing", () => {
    assert.throws(() => resolveSettings({}, { CHATWOOT_API_ACCESS_TOKEN: TOKEN }), {
      name: "ConfigurationError",
      message:
        "Missing Chatwoot's base URL: set it with `pulumi config set chatwoot:url https://chatwoot.example.com` " +
        "or the CHATWOOT_URL environment variable.",
    });
    assert.throws(() => resolveSettings({}, { CHATWOOT_URL: "https://x" }), {
      message:
        "Missing the Chatwoot API access token: set it with `pulumi config set --secret chatwoot:apiAccessToken <token>` " +
        "or the CHATWOOT_API_ACCESS_TOKEN environment variable.",
    });
  });

  it("works in the resource's account, else the configured one, else asks for one", () => {
    const base = { CHATWOOT_URL: "https://x", CHATWOOT_API_ACCESS_TOKEN: TOKEN };
    const withAccount = resolveSettings({}, { ...base, CHATWOOT_ACCOUNT_ID: "4" });
    assert.equal(resolveAccountId(withAccount, 9), 9);
    assert.equal(resolveAccountId(withAccount, undefined), 4);
    assert.throws(() => resolveAccountId(resolveSettings({}, base), undefined), {
      name: "ConfigurationError",
      message:
        "Missing the Chatwoot account id: set it with `pulumi config set chatwoot:accountId 1` or the " +
        "CHATWOOT_ACCOUNT_ID environment variable, or give the resource an accountId.",
    });
  });

  it("allows no retries and no base delay, but not fewer, and wants whole numbers", () => {
    const base = { CHATWOOT_URL: "https://x", CHATWOOT_API_ACCESS_TOKEN: TOKEN };
    const zero = resolveSettings(
      {},
      { ...base, CHATWOOT_MAX_RETRIES: "0", CHATWOOT_RETRY_BASE_DELAY_MS: "0" },
    );
    assert.deepEqual([zero.maxRetries, zero.retryBaseDelayMs], [0, 0]);
    const refused: Array<[string, string, string]> = [
      [
        "CHATWOOT_MAX_RETRIES",
        "-1",
        "Invalid chatwoot:maxRetries (or CHATWOOT_MAX_RETRIES): must be an integer of at least 0.",
      ],
      [
        "CHATWOOT_RETRY_BASE_DELAY_MS",
        "-1",
        "Invalid chatwoot:retryBaseDelayMs (or CHATWOOT_RETRY_BASE_DELAY_MS): must be an integer of at least 0.",
      ],
      [
        "CHATWOOT_MAX_CONCURRENCY",
        "0",
        "Invalid chatwoot:maxConcurrency (or CHATWOOT_MAX_CONCURRENCY): must be an integer of at least 1.",
      ],
      [
        "CHATWOOT_REQUEST_TIMEOUT_MS",
        "1.5",
        "Invalid chatwoot:requestTimeoutMs (or CHATWOOT_REQUEST_TIMEOUT_MS): must be an integer of at least 1.",
      ],
      [
        "CHATWOOT_RATE_LIMIT_WINDOW_MS",
        "a minute",
        "Invalid chatwoot:rateLimitWindowMs (or CHATWOOT_RATE_LIMIT_WINDOW_MS): must be an integer of at least 1.",
      ],
      [
        "CHATWOOT_ACCOUNT_ID",
        "0",
        "Invalid chatwoot:accountId (or CHATWOOT_ACCOUNT_ID): must be a positive integer.",
      ],
      // A token too short to redact is refused, and its value is not echoed.
      [
        "CHATWOOT_API_ACCESS_TOKEN",
        " tok5 ",
        "Invalid chatwoot:apiAccessToken (or CHATWOOT_API_ACCESS_TOKEN): must be at least 6 characters " +
          "(Chatwoot's access tokens have 24); a shorter value could not be kept out of error messages.",
      ],
      [
        "CHATWOOT_ACCOUNT_ID",
        "2.5",
        "Invalid chatwoot:accountId (or CHATWOOT_ACCOUNT_ID): must be a positive integer.",
      ],
    ];
    for (const [variable, value, message] of refused) {
      assert.throws(
        () => resolveSettings({}, { ...base, [variable]: value }),
        { message },
        `${variable}=${value}`,
      );
    }
    const one = resolveSettings({}, { ...base, CHATWOOT_MAX_CONCURRENCY: "1", CHATWOOT_ACCOUNT_ID: "1" });
    assert.deepEqual([one.maxConcurrency, one.accountId], [1, 1]);
  });

  it("drops the blanks around a token pasted with them", () => {
    const settings = resolveSettings(
      {},
      { CHATWOOT_URL: "https://x", CHATWOOT_API_ACCESS_TOKEN: ` ${TOKEN}\n` },
    );
    assert.equal(settings.apiAccessToken, TOKEN);
  });

  it("treats an empty stack config value as unset, and reads a non-text one as text", () => {
    const env = { CHATWOOT_URL: "https://x", CHATWOOT_API_ACCESS_TOKEN: TOKEN, CHATWOOT_MAX_RETRIES: "2" };
    assert.equal(resolveSettings(configOf({ "chatwoot:maxRetries": "" }), env).maxRetries, 2);
    const values: Record<string, unknown> = { "chatwoot:maxRetries": 5, "chatwoot:accountId": null };
    const typed = stackConfigFrom({ get: (key: string) => values[key] as string | undefined });
    assert.deepEqual(typed, { maxRetries: "5" });
  });

  it("counts *.localhost and all of 127.0.0.0/8 as this machine, and nothing that merely looks like it", () => {
    const base = { CHATWOOT_API_ACCESS_TOKEN: TOKEN };
    for (const url of ["http://app.localhost:3000", "http://127.10.100.200"]) {
      assert.equal(resolveSettings({}, { ...base, CHATWOOT_URL: url }).url.protocol, "http:", url);
    }
    for (const url of ["http://127.0.0.1.nip.io", "http://localhost.example.com"]) {
      assert.throws(() => resolveSettings({}, { ...base, CHATWOOT_URL: url }), /plain http/, url);
    }
    assert.throws(() => resolveSettings({}, { ...base, CHATWOOT_URL: "http://chatwoot.internal:3000" }), {
      message:
        "Invalid chatwoot:url (or CHATWOOT_URL): uses plain http to chatwoot.internal, which would send the API " +
        "access token in clear text; use https, or, on a network you trust, set " +
        "`pulumi config set chatwoot:allowInsecureHttp true` (or CHATWOOT_ALLOW_INSECURE_HTTP=true).",
    });
    assert.throws(
      () => resolveSettings({}, { ...base, CHATWOOT_URL: "http://x", CHATWOOT_ALLOW_INSECURE_HTTP: "false" }),
      /plain http to x/,
      "allowInsecureHttp false",
    );
  });

  it("survives a configure() call whose config cannot be read", () => {
    const broken = {
      get: () => {
        throw new Error("no config");
      },
    };
    assert.deepEqual(stackConfigFrom(broken), {});
    assert.deepEqual(stackConfigFrom(undefined), {});
  });
});
