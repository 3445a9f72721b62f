"""Papermill + nbconvert publishing: execution, conversion, sharing checks, workbook, index, batches."""
