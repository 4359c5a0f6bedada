exports.handler = __f0;

var __provider = {configure: __f1};

function __f1(__0) {
  return (function() {
    with({ kind: "CustomAttributeDefinition", this: undefined, arguments: undefined }) {

return function /*configure*/(request) {
            return require("pulumi-chatwoot/dynamic").attach(this, kind, request);
        };

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f0() {
  return (function() {
    with({ provider: __provider, this: undefined, arguments: undefined }) {

return () => provider;

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
