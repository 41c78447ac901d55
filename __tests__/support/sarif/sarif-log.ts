/**
 * The parts of a SARIF 2.1.0 log that d1-migrate writes (src/report/sarif.ts) and the tests read. The full
 * structure is checked against the OASIS schema by sarifSchemaErrors (validate.ts); this type only lets the
 * tests read what that schema already guarantees without `any`.
 */
export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
}
export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region: SarifRegion;
}
export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: { physicalLocation: SarifPhysicalLocation }[];
  partialFingerprints: Record<string, string>;
  properties: { databases: string[]; informational?: true };
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' };
  properties: { tags: string[] };
}
export interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: string;
  results: SarifResult[];
}
export interface SarifLog {
  $schema: string;
  version: string;
  runs: SarifRun[];
}
