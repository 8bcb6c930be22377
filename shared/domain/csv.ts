/**
 * One cell, safe in a spreadsheet: text a spreadsheet would run as a formula (starting with =, +,
 * -, @, a tab or a carriage return) is prefixed with a single quote (OWASP's advice), then quoted
 * as RFC 4180 asks when it holds a comma, a quote or a line break.
 */
export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV (RFC 4180): a header of the columns, then each row's cells in that order, CRLF line ends. */
export function csvOf<Row>(
  columns: readonly { name: string; value: (row: Row) => unknown }[],
  rows: readonly Row[],
) {
  return [
    columns.map((column) => column.name).join(','),
    ...rows.map((row) => columns.map((column) => csvCell(column.value(row))).join(',')),
  ]
    .map((line) => `${line}\r\n`)
    .join('');
}
