import { charLength, humanizeAttribute } from "../http/rubyish";

/** An ActiveModel::Errors look-alike: messages in insertion order, rendered as Rails full messages. */
export class ValidationErrors {
  private readonly entries: { attribute: string; message: string }[] = [];

  add(attribute: string, message: string): void {
    this.entries.push({ attribute, message });
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  fullMessages(): string[] {
    return this.entries.map(({ attribute, message }) =>
      attribute === "base" ? message : `${humanizeAttribute(attribute)} ${message}`,
    );
  }

  attributeNames(): string[] {
    return [...new Set(this.entries.map((entry) => entry.attribute))];
  }
}

/** `ApplicationRecord#validates_column_content_length`: string columns hold 255 characters, text columns 20,000. */
export const STRING_COLUMN_LIMIT = 255;
export const TEXT_COLUMN_LIMIT = 20_000;

export function checkColumnLength(
  errors: ValidationErrors,
  attribute: string,
  value: string | null | undefined,
  limit: number,
): void {
  if (value === null || value === undefined) return;
  if (charLength(value) > limit) errors.add(attribute, `is too long (maximum is ${limit} characters)`);
}

/**
 * `JsonbAttributesLengthValidator` on conversation attributes: strings longer than 1500 characters and
 * integers above 9,999,999,999 are refused, key by key.
 */
export function checkJsonbAttributes(
  errors: ValidationErrors,
  attribute: string,
  value: Record<string, unknown>,
): void {
  for (const [key, attributeValue] of Object.entries(value)) {
    if (typeof attributeValue === "string" && charLength(attributeValue) > 1500) {
      errors.add(attribute, `${key} length should be < 1500`);
    } else if (
      typeof attributeValue === "number" &&
      Number.isInteger(attributeValue) &&
      attributeValue > 9_999_999_999
    ) {
      errors.add(attribute, `${key} value should be < 9999999999`);
    }
  }
}
