/** Owner actions on a QuickSight data source. */
export const DATA_SOURCE_OWNER_ACTIONS = [
  'quicksight:DescribeDataSource',
  'quicksight:DescribeDataSourcePermissions',
  'quicksight:PassDataSource',
  'quicksight:UpdateDataSource',
  'quicksight:DeleteDataSource',
  'quicksight:UpdateDataSourcePermissions',
];

/** Owner actions on a QuickSight data set. */
export const DATA_SET_OWNER_ACTIONS = [
  'quicksight:DescribeDataSet',
  'quicksight:DescribeDataSetPermissions',
  'quicksight:PassDataSet',
  'quicksight:DescribeIngestion',
  'quicksight:ListIngestions',
  'quicksight:UpdateDataSet',
  'quicksight:DeleteDataSet',
  'quicksight:CreateIngestion',
  'quicksight:CancelIngestion',
  'quicksight:UpdateDataSetPermissions',
];

export type QuickSightColumnType = 'STRING' | 'INTEGER' | 'DECIMAL' | 'DATETIME' | 'BOOLEAN';

/**
 * QuickSight input column type of an Athena (Trino) type:
 * `varchar` -> STRING, `bigint` -> INTEGER, `double` -> DECIMAL, `timestamp(3)` -> DATETIME.
 */
export function quickSightType(sqlType: string): QuickSightColumnType {
  const t = sqlType.trim().toLowerCase();
  if (/^(varchar|char|string)/.test(t)) return 'STRING';
  if (/^(bigint|int|integer|smallint|tinyint)$/.test(t)) return 'INTEGER';
  if (/^(double|real|float|decimal)/.test(t)) return 'DECIMAL';
  if (/^(timestamp|date)/.test(t)) return 'DATETIME';
  if (t === 'boolean') return 'BOOLEAN';
  throw new Error(`no QuickSight column type for SQL type "${sqlType}"`);
}
