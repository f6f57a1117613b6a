package ledger

import (
	"sort"
	"strings"
	"time"

	"safetynet"
)

// Options tune Build.
type Options struct {
	Today        time.Time // the date checks use; zero means now
	DefaultPlace string    // place code for households whose rows name no place
}

// Build groups the rows of sheet into households, validates them and
// converts them to the register's types. It returns the households
// without errors and every row error found (at most
// safetynet.MaxImportErrors), sorted by row; a household with any error
// is left out. See the package documentation for the rules.
func Build(sheet *Sheet, m Mapping, places *PlaceIndex, opt Options) ([]safetynet.LedgerHousehold, []safetynet.RowError) {
	if sheet == nil {
		return nil, nil
	}
	if opt.Today.IsZero() {
		opt.Today = time.Now()
	}
	b := &builder{sheet: sheet, m: m, places: places, opt: opt, ids: map[string]int{}, memo: map[memoKey]memoVal{}}
	y, mo, d := opt.Today.Date()
	b.today = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	var out []safetynet.LedgerHousehold
	for _, g := range b.group() {
		if h, ok := b.household(g); ok {
			out = append(out, h)
		}
	}
	sort.SliceStable(b.errs, func(i, j int) bool { return b.errs[i].Row < b.errs[j].Row })
	return out, b.errs
}

type builder struct {
	sheet  *Sheet
	m      Mapping
	places *PlaceIndex
	opt    Options
	today  time.Time
	errs   []safetynet.RowError
	nerr   int            // errors found, including those beyond the cap
	ids    map[string]int // ID number → first row holding it
	memo   map[memoKey]memoVal
}

type memoKey struct {
	f    Field
	text string
}

type memoVal struct {
	code string
	ok   bool
}

// parse finds the code of text in the vocabulary of f, remembering the
// answers: a ledger repeats the same few values over its rows.
func (b *builder) parse(f Field, v safetynet.Vocab, text string) (string, bool) {
	k := memoKey{f, text}
	if r, ok := b.memo[k]; ok {
		return r.code, r.ok
	}
	code, ok := v.Parse(text)
	if len(b.memo) < 100_000 {
		b.memo[k] = memoVal{code, ok}
	}
	return code, ok
}

// category is safetynet.ParseCategory for the column f, remembered.
func (b *builder) category(f Field, s safetynet.Subject, text string) (safetynet.Category, bool) {
	k := memoKey{f, text}
	r, ok := b.memo[k]
	if !ok {
		c, found := safetynet.ParseCategory(s, text)
		r = memoVal{c.Code, found}
		if len(b.memo) < 100_000 {
			b.memo[k] = r
		}
	}
	if !r.ok {
		return safetynet.Category{}, false
	}
	return safetynet.CategoryByCode(r.code)
}

// group is the rows of one household, as indexes into sheet.Rows.
type group struct {
	rows    []int
	number  string
	hasHead bool
}

func (b *builder) cell(r Row, f Field) string {
	c, ok := b.m[f]
	if !ok {
		return ""
	}
	return r.Cell(c)
}

// column names f as the user sees it: its header in the file, or its label.
func (b *builder) column(f Field) string {
	if c, ok := b.m[f]; ok && c < len(b.sheet.Header) && b.sheet.Header[c] != "" {
		return b.sheet.Header[c]
	}
	return f.Label("zh")
}

func (b *builder) fail(row int, f Field, zh, en string) {
	b.nerr++
	if len(b.errs) < safetynet.MaxImportErrors {
		col := ""
		if f != "" {
			col = b.column(f)
		}
		b.errs = append(b.errs, safetynet.RowError{Row: row, Field: col, ZH: zh, EN: en})
	}
}

// failErr records an error of the domain package; its Field is mapped to
// the column, def when it names none of ours.
func (b *builder) failErr(row int, def Field, err error) {
	e := safetynet.AsError(err)
	if e == nil {
		b.fail(row, def, "数据无效", "invalid data")
		return
	}
	f := Field(e.Field)
	switch e.Field {
	case "number":
		f = FieldHouseholdNumber
	case "health_notes":
		f = FieldHealth
	case "place_code":
		f = FieldPlace
		if b.m.has(FieldPlaceCode) {
			f = FieldPlaceCode
		}
	}
	if _, ok := f.Info(); !ok {
		f = def
	}
	b.fail(row, f, e.ZH, e.EN)
}

// group splits the rows into households: by household number; else by
// relation (a head row starts a household); else by the head's ID or
// name; else one row per household. A row whose household number or head
// columns are empty continues the household above (merged cells).
func (b *builder) group() []*group {
	var out []*group
	byKey := map[string]*group{}
	lastByName := map[string]string{}
	var cur *group
	hasRel := b.m.has(FieldRelation)
	hasHead := b.m.has(FieldHeadID) || b.m.has(FieldHeadName)
	for i, r := range b.sheet.Rows {
		isHead := false
		if hasRel {
			code, _ := b.parse(FieldRelation, safetynet.Relations, b.cell(r, FieldRelation))
			isHead = code == "head"
		}
		key := ""
		if n := b.cell(r, FieldHouseholdNumber); n != "" {
			key = "number:" + n
		} else if !hasRel && hasHead {
			if id := headID(b.cell(r, FieldHeadID)); id != "" {
				key = "head:" + id
			} else if name := b.cell(r, FieldHeadName); name != "" {
				key = "name:" + name + "@" + b.cell(r, FieldPlace)
				if b.cell(r, FieldPlace) == "" && lastByName[name] != "" {
					key = lastByName[name] // the place cell is merged with the one above
				}
				lastByName[name] = key
			}
		}
		var g *group
		switch {
		case key != "":
			g = byKey[key]
			if g == nil {
				g = &group{}
				if n, ok := strings.CutPrefix(key, "number:"); ok {
					g.number = n
				}
				byKey[key] = g
				out = append(out, g)
			}
		case hasRel && cur != nil && (!isHead || cur.number != "" && !cur.hasHead),
			!hasRel && (hasHead || b.m.has(FieldHouseholdNumber)) && cur != nil:
			g = cur
		default:
			g = &group{}
			out = append(out, g)
		}
		g.rows = append(g.rows, i)
		g.hasHead = g.hasHead || isHead
		cur = g
	}
	return out
}
