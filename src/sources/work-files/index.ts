/**
 * Work-file outcome source: deployments, incidents and tasks from CSV or JSON files
 * (docs/sources/work-files.md).
 * @module
 */
export {
  FIELD_SYNONYMS,
  kindOf,
  kindOfFileName,
  normalizeHeader,
  normalizeRow,
  type Row,
  type WorkFileKind,
} from './fields.js';
export { parseWorkFileText, readWorkFile, readWorkFiles, type WorkFileResult } from './read.js';
export {
  deploymentFromRow,
  deploymentRef,
  incidentFromRow,
  type RowParse,
  taskFromRow,
  type WorkRecord,
  workRecordFromRow,
} from './rows.js';
export { deploymentStatus, parseTime, RowError } from './values.js';
