// Package divisions reads the division hierarchy from CSV files of the form
//
//	code,name,level,parent_code
//
// (columns in any order, a header line first, UTF-8 with or without BOM)
// and embeds the real divisions of the five counties in the seeds.
package divisions

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"safetynet"
	"safetynet/textenc"
)

//go:embed divisions-seed-counties.csv
var seedCSV []byte

// Seed returns the embedded CSV of the seed counties (national statistics
// codes, 2023): 5 provinces, their prefectures, 5 counties, 63 towns and
// 1,569 villages (1,647 rows).
func Seed() io.Reader { return bytes.NewReader(seedCSV) }

// Row is one parsed line.
type Row struct {
	Line int
	safetynet.PlaceInput
}

// Columns of the file.
var Columns = []string{"code", "name", "level", "parent_code"}

// ColumnsZH are the Chinese headings a file may use instead, in the order
// of Columns: 代码,名称,级别,上级代码.
var ColumnsZH = []string{"代码", "名称", "级别", "上级代码"}

// levelWords are the Chinese ways a file may write a level.
var levelWords = map[string]safetynet.Level{
	"省": safetynet.LevelProvince, "省级": safetynet.LevelProvince, "市": safetynet.LevelPrefecture, "州": safetynet.LevelPrefecture,
	"地级": safetynet.LevelPrefecture, "县": safetynet.LevelCounty, "区": safetynet.LevelCounty, "县级": safetynet.LevelCounty,
	"乡": safetynet.LevelTown, "镇": safetynet.LevelTown, "乡镇": safetynet.LevelTown, "街道": safetynet.LevelTown, "乡级": safetynet.LevelTown,
	"村": safetynet.LevelVillage, "社区": safetynet.LevelVillage, "村级": safetynet.LevelVillage, "组": safetynet.LevelGroup,
	"小组": safetynet.LevelGroup, "网格": safetynet.LevelGrid,
}

// parseLevel reads a level written as a code ("town") or in Chinese
// ("乡镇", "乡镇(街道)").
func parseLevel(s string) safetynet.Level {
	if l, ok := levelWords[s]; ok {
		return l
	}
	for _, l := range safetynet.Levels {
		if s == l.Label("zh") {
			return l
		}
	}
	return safetynet.Level(strings.ToLower(s))
}

// MaxBytes bounds the size of a file.
const MaxBytes = 64 << 20

// MaxRows bounds a file, to keep a mistaken upload from exhausting memory.
const MaxRows = 1_000_000

// Parse reads a division CSV. It returns every row it could read and an
// error per bad row; a problem with the file as a whole (no header, a
// missing column, broken CSV) is returned as err.
func Parse(r io.Reader) (rows []Row, errs []safetynet.RowError, err error) {
	text, err := textenc.ToUTF8(r, MaxBytes)
	if err != nil {
		return nil, nil, safetynet.Invalid("file", "无法读取文件：需要 UTF-8 或 GBK 编码、不超过64MB的 CSV 文件",
			"the file cannot be read: it must be a CSV file in UTF-8 or GBK of at most 64 MB")
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, safetynet.Invalid("file", "文件是空的", "the file is empty")
	}
	if err != nil {
		return nil, nil, csvError(err)
	}
	idx := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for j, zh := range ColumnsZH {
			if h == zh {
				h = Columns[j]
			}
		}
		idx[h] = i
	}
	for _, c := range Columns {
		if _, ok := idx[c]; !ok {
			return nil, nil, safetynet.Text(safetynet.EInvalid, "file", fmt.Sprintf("缺少列“%s”：第一行必须是 代码,名称,级别,上级代码（或 code,name,level,parent_code）", ColumnsZH[slices.Index(Columns, c)]),
				fmt.Sprintf("column %q is missing: the first line must be code,name,level,parent_code", c))
		}
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rows)+len(errs) >= MaxRows {
			return nil, nil, safetynet.Invalid("file", "文件超过%d行", "the file has more than %d rows", MaxRows)
		}
		get := func(c string) string {
			if i := idx[c]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if isBlank(rec) {
			continue
		}
		row := Row{Line: line, PlaceInput: safetynet.PlaceInput{
			Code: get("code"), Level: parseLevel(get("level")), ParentCode: get("parent_code"),
		}}
		if e := check(&row, get("name"), seen); e != nil {
			errs = append(errs, *e)
			continue
		}
		seen[row.Code] = line
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(errs) == 0 {
		return nil, nil, safetynet.Invalid("file", "文件中没有数据行", "the file has no data rows")
	}
	return rows, errs, nil
}

func check(row *Row, name string, seen map[string]int) *safetynet.RowError {
	if err := safetynet.CheckPlaceCode(row.Code); err != nil {
		return rowErr(row.Line, err)
	}
	if row.Code == safetynet.RootPlaceCode {
		return &safetynet.RowError{Row: row.Line, Field: "code", ZH: "代码 0 保留给全国", EN: "code 0 is reserved for the country"}
	}
	if first, dup := seen[row.Code]; dup {
		return &safetynet.RowError{Row: row.Line, Field: "code",
			ZH: fmt.Sprintf("代码 %s 与第%d行重复", row.Code, first), EN: fmt.Sprintf("code %s repeats line %d", row.Code, first)}
	}
	n, err := safetynet.CheckPlaceName(name)
	if err != nil {
		return rowErr(row.Line, err)
	}
	row.Name = n
	if !row.Level.Valid() || row.Level == safetynet.LevelCountry {
		return &safetynet.RowError{Row: row.Line, Field: "level",
			ZH: fmt.Sprintf("级别“%s”无效，应为 省、市、县、乡镇、村、组 或 网格", row.Level),
			EN: fmt.Sprintf("level %q is not one of province, prefecture, county, town, village, group, grid", row.Level)}
	}
	if row.ParentCode == "" {
		if row.Level != safetynet.LevelProvince {
			return &safetynet.RowError{Row: row.Line, Field: "parent_code", ZH: "只有省级可以没有上级代码", EN: "parent_code is required below province level"}
		}
		row.ParentCode = safetynet.RootPlaceCode
	} else if err := safetynet.CheckPlaceCode(row.ParentCode); err != nil {
		e := safetynet.AsError(err)
		return &safetynet.RowError{Row: row.Line, Field: "parent_code", ZH: "上级" + e.ZH, EN: "parent " + e.EN}
	}
	if row.ParentCode == row.Code {
		return &safetynet.RowError{Row: row.Line, Field: "parent_code", ZH: "上级代码不能是自己", EN: "a place cannot be its own parent"}
	}
	return nil
}

func rowErr(line int, err error) *safetynet.RowError {
	e := safetynet.AsError(err)
	return &safetynet.RowError{Row: line, Field: e.Field, ZH: e.ZH, EN: e.EN}
}

func isBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return safetynet.Text(safetynet.EInvalid, "file",
			fmt.Sprintf("第%d行不是有效的 CSV：%v", pe.Line, pe.Err), fmt.Sprintf("line %d is not valid CSV: %v", pe.Line, pe.Err))
	}
	return safetynet.Invalid("file", "无法读取文件", "the file cannot be read")
}
