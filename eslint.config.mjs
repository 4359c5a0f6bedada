// Lint rules stay close to typescript-eslint's recommended set: the compiler's strict options
// already catch most mistakes, and Prettier owns formatting.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "examples/*/node_modules/**",
      ".pulumi/**",
      "mutation/node_modules/**",
      "reports/**",
      ".stryker-tmp/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
