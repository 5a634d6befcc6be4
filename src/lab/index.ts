/**
 * `hmskort/lab`: test-lab verification of finished cards against vectors (spec section 8), JUnit
 * reports. The snapshot of these names is test/unit/project/exports.test.ts.
 */
export { LabVectorError, labVectorsByUid, verifyLabCard, type LabCheck, type LabKeys, type LabResult, type LabVectorErrorCode, type LabVectorOptions } from './verify.js';
export { labJunitXml } from './junit.js';
