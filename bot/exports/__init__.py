"""What the office files and the chairman looks at: a period's figures and records, loaded once in a read-only
session (`data`), rendered as a chart, a workbook and a drafted report; and rows imported from other systems."""
