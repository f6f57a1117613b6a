// Package ledger reads and writes the Excel ledgers (台账) that village
// staff keep: one row per person, grouped by household.
//
// # Reading
//
// [Read] takes an .xlsx file (the first worksheet with a header; cells as
// Excel displays them, except that dates read as 1980-01-02 and numbers
// without their thousands separators) or a .csv file (UTF-8 or GBK, at
// most [MaxCSVBytes]). Worksheets are streamed by a small scanner of
// their XML, ten times faster than excelize's row iterator, which reads
// any file the scanner does not understand. The header is the first
// row among the first [HeaderScanRows] that holds at least two recognised
// column names, so title rows such as "XX村防返贫监测对象台账" and blank
// rows above it are skipped. When the next row names at least two more
// fields under empty or unrecognised cells (a group title such as
// 家庭成员情况 merged over sub-columns), the header spans both rows.
// Below the header, blank rows (a row holding only its 序号 counts as
// blank) and totals rows (first cell 合计, 总计 or 小计) are left out;
// more than [MaxRows] data rows is an error. Cells are trimmed; a number
// Excel wrote in exponent form is written out in full when no digit was
// lost (1.3812345678E+10 → 13812345678) and kept as is otherwise, so that
// [Build] reports an ID number that lost its last digits.
//
// # Columns
//
// Headers are compared after dropping white space, hints in brackets
// ("人均纯收入（元）"), required-markers (*) and a trailing unit (元, 人),
// ignoring case. Each [Field] is recognised by its Chinese label, its
// English label, its code and the synonyms listed in [Fields]; for
// instance 所属村组, 村组, 所在村组, 组别, 村民小组, 所属网格 and 网格 all
// mean [FieldPlace]. [Detect] builds a [Mapping] from a header and
// [ParseMapping] applies a user's corrections. A ledger of one row per
// household that has 户主姓名 but no 姓名 column uses the head's columns
// for the person.
//
// # Households
//
// [Build] groups rows into households:
//   - with a 户编号 column, rows sharing a number form a household, wherever
//     they are; a row with an empty number continues the household above
//     (cells merged over a household keep their value in the first row),
//     unless its relation is 户主 and the household above has a head
//     already or no number: such a row starts a new household;
//   - otherwise, with a 与户主关系 column, a household starts at a row whose
//     relation is 户主 and goes on over the following rows;
//   - otherwise, with 户主身份证号 or 户主姓名 columns, rows are grouped by
//     the head's ID number, else by the head's name and place; the head is
//     the row the head columns name;
//   - otherwise every row is a household of one.
//
// A household must have exactly one head; with a relation column, a row
// whose 户主身份证号 is not the head's ID number is an error (a row sorted
// under the wrong household). Household fields (户编号,
// address, income, housing, water, notes, family size, start date, place)
// come from the head row, or else from the first row of the household that
// has them; the household's phone is the head's, else the first member's. Categories (监测对象类型)
// and risk types (风险类型) are gathered from all rows; a cell may hold
// several values separated by 、,，;；/. Each risk type becomes a risk
// label, and a monitored category carries the first risk type. 家庭人口,
// when given, must equal the number of rows of the household.
//
// Every row error is collected (up to safetynet.MaxImportErrors) with the
// row number Excel shows and the column header; a household with any
// error is left out of the result. Messages never contain ID or phone
// numbers: values quoted in messages have long digit runs masked.
//
// # Places
//
// A household's place is the 地区代码 column if given, else the place name
// resolved by a [PlaceIndex] of the importer's villages, groups and grids,
// else [Options].DefaultPlace. Names match without their official suffixes
// (腰站社区居民委员会 matches 腰站社区 and 腰站; 棠梨湾居民小组 matches 棠梨湾组
// and 棠梨湾), Chinese numerals match digits (第一村民小组 matches 1组), and a
// village may precede its group (腰站社区棠梨湾组, "腰站 棠梨湾"). A group
// name found in two villages is ambiguous unless the village is named.
//
// # Writing
//
// [Export] writes a ledger with the columns [ExportColumns], which
// [Template] also uses, so an exported file imports again unchanged. ID
// and phone numbers are text cells. [WriteErrorReport] lists row errors
// next to the rows' cells, with personal numbers masked.
package ledger
