/**
 * A handler for one vector kind of spec section 8: takes the vector's `input` and returns an
 * object with the same keys as a passing vector's `expect` (hex as lower-case strings), or throws
 * an HmskError whose `code` an error vector's `expect.error` names.
 */
export type KindHandler = (input: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;
