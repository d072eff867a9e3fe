"""Tables (CSV files) as datasets, read with pandas (the optional extra playground[tables]). pandas is imported
when a table is first read, so importing this package costs nothing and works without it."""

from playground.core.data.tables.prepare import ColumnInfo, TableData, load_table
from playground.core.data.tables.summary import ColumnSummary, TablePreview, column_summaries, preview

__all__ = ["ColumnInfo", "ColumnSummary", "TableData", "TablePreview", "column_summaries", "load_table", "preview"]
