# Makes crates/hxl/tests/xls/merged.xls (Excel 97-2003, BIFF8) with xlwt 1.3.0:
# a first sheet "Notes", then "4W" with a merged header over two columns, an Arabic
# header, the hashtag row, and an organisation merged down over two data rows.
import xlwt, sys
wb = xlwt.Workbook(encoding="utf-8")
notes = wb.add_sheet("Notes")
notes.write(0, 0, "Not this sheet")
ws = wb.add_sheet("4W")
ws.write_merge(0, 0, 1, 2, "People reached")
ws.write(0, 0, "المنظمة")
ws.write(1, 0, "#org")
ws.write(1, 1, "#reached+f")
ws.write(1, 2, "#reached+m")
ws.write_merge(2, 3, 0, 0, "جمعية النور")
ws.write(2, 1, 10)
ws.write(2, 2, 12.5)
ws.write(3, 1, 7)
ws.write(3, 2, 0)
wb.save(sys.argv[1])
