/**
 * `hmskort/testing`: in-memory devices with fault injection, for users' own tests.
 */
export {};
