/** `hmskort/lab`: test-lab verification of finished cards against vectors, JUnit reports. */
export * from './verify.js';
export * from './junit.js';
