#!/usr/bin/env python3
"""Reads a workbook with openpyxl and prints, as JSON, what the tests check in it.

Usage: xlsx_inspect.py FILE.xlsx

For each sheet, in order: the frozen cell, the autofilter's range, the data validations (type,
cells, list or formula), the column widths, and every cell that holds a value or a fill: its
value (dates as YYYY-MM-DD), openpyxl's data type, whether it is a date, its number format, its
fill colour (RRGGBB) and boldness. openpyxl is a second, independent reader of the files cnrm
writes: a number is a number here only if the file says so.
"""

import datetime
import json
import sys

import openpyxl


def value_of(v):
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time(0) else v.isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def fill_of(cell):
    fill = cell.fill
    if fill is None or fill.patternType in (None, "none"):
        return None
    rgb = fill.fgColor.rgb if fill.fgColor is not None else None
    if isinstance(rgb, str) and len(rgb) == 8:
        return rgb[2:].upper()
    return rgb if isinstance(rgb, str) else None


def sheet_of(ws):
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            fill = fill_of(cell)
            if cell.value is None and fill is None:
                continue
            cells[cell.coordinate] = {
                "value": value_of(cell.value),
                "type": cell.data_type,
                "date": bool(cell.is_date),
                "format": cell.number_format,
                "fill": fill,
                "bold": bool(cell.font is not None and cell.font.b),
            }
    validations = [
        {
            "type": dv.type,
            "sqref": str(dv.sqref),
            "formula1": dv.formula1,
            "allow_blank": bool(dv.allow_blank),
        }
        for dv in ws.data_validations.dataValidation
    ]
    widths = {
        letter: dim.width
        for letter, dim in ws.column_dimensions.items()
        if dim.width is not None
    }
    return {
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "validations": validations,
        "widths": widths,
        "max_row": ws.max_row,
        "max_column": ws.max_column,
        "cells": cells,
    }


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    out = {
        "sheets": wb.sheetnames,
        "sheet": {ws.title: sheet_of(ws) for ws in wb.worksheets},
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
