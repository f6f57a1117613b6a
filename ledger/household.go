package ledger

import (
	"fmt"

	"safetynet"
	"safetynet/idcard"
)

// household validates and converts one group.
func (b *builder) household(g *group) (safetynet.LedgerHousehold, bool) {
	before := b.nerr
	first := b.sheet.Rows[g.rows[0]].Number
	members := make([]personRow, len(g.rows))
	for i, ri := range g.rows {
		members[i] = b.person(b.sheet.Rows[ri])
	}
	head := b.findHead(g, members)

	code := b.place(g, head)
	in := safetynet.HouseholdInput{Number: g.number, PlaceCode: code}
	if in.Number == "" {
		in.Number, _ = b.value(g, head, FieldHouseholdNumber)
	}
	in.Address, _ = b.value(g, head, FieldAddress)
	in.Notes, _ = b.value(g, head, FieldNotes)
	for _, i := range append([]int{max(head, 0)}, seq(len(members))...) {
		if p := members[i]; p.in.Phone != "" && p.valid {
			in.Phone = p.in.Phone
			break
		}
	}
	if s, row := b.value(g, head, FieldIncome); s != "" {
		fen, ok := parseYuan(s)
		if !ok {
			b.fail(row, FieldIncome, fmt.Sprintf("人均纯收入“%s”不是有效的金额", clip(s)), fmt.Sprintf("income %q is not an amount of yuan", clip(s)))
		}
		in.IncomeFen = fen
	}
	if s, row := b.value(g, head, FieldIncomeYear); s != "" {
		y, ok := parseCount(s)
		if !ok {
			b.fail(row, FieldIncomeYear, "收入年度应为四位年份，例如2024", "the income year must be a year such as 2024")
		}
		in.IncomeYear = y
	}
	in.Housing = b.hhVocab(g, head, FieldHousing, safetynet.Housings)
	in.Water = b.hhVocab(g, head, FieldWater, safetynet.Waters)
	headRow := first
	if head >= 0 {
		headRow = members[head].row
	}
	if code == "" {
		in.PlaceCode = "-" // reported already; check the other fields
	}
	if out, err := safetynet.CheckHouseholdInput(in, b.today); err != nil {
		b.failErr(headRow, FieldAddress, err)
	} else {
		in = out
	}
	in.PlaceCode = code
	if s, row := b.value(g, head, FieldFamilySize); s != "" {
		n, ok := parseCount(s)
		switch {
		case !ok:
			b.fail(row, FieldFamilySize, fmt.Sprintf("家庭人口“%s”不是有效的人数", clip(s)), fmt.Sprintf("family size %q is not a number", clip(s)))
		case n != len(g.rows):
			b.fail(row, FieldFamilySize, fmt.Sprintf("家庭人口为%d，但本户只有%d行成员", n, len(g.rows)),
				fmt.Sprintf("the family size is %d but the household has %d member rows", n, len(g.rows)))
		}
	}
	start := b.startDate(g, head)
	cats, risks := b.householdCategories(g, start)

	h := safetynet.LedgerHousehold{Row: first, Household: in, Categories: cats}
	if head >= 0 {
		h.Members = append(h.Members, b.member(members[head], start, risks))
	}
	for i, p := range members {
		if i != head {
			h.Members = append(h.Members, b.member(p, start, risks))
		}
	}
	switch {
	case in.Number != "":
		h.Key = "number:" + in.Number
	case head >= 0 && members[head].in.IDNumber != "":
		h.Key = "head:" + members[head].in.IDNumber
	case head >= 0:
		h.Key = "name:" + members[head].in.Name + "@" + in.PlaceCode
	}
	return h, b.nerr == before
}

// findHead returns the index of the head among members, or -1 after
// reporting an error. Without a relation column, the head is the row
// that 户主身份证号 or 户主姓名 names, else the only or first row.
func (b *builder) findHead(g *group, members []personRow) int {
	first := members[0].row
	if b.m.has(FieldRelation) {
		head := -1
		for i, p := range members {
			if p.in.Relation != "head" {
				continue
			}
			if head >= 0 {
				b.fail(p.row, FieldRelation, fmt.Sprintf("本户有多个户主行（第%d行已是户主）", members[head].row),
					fmt.Sprintf("the household has more than one head (row %d is the head)", members[head].row))
				continue
			}
			head = i
		}
		if head < 0 {
			b.fail(first, FieldRelation, "本户没有户主行（与户主关系为“户主”的行）", "the household has no head row (relation 户主)")
		} else {
			b.checkHeadIDs(g, members, head)
		}
		return head
	}
	head := -1
	if b.m.has(FieldHeadID) || b.m.has(FieldHeadName) {
		for i, p := range members {
			r := b.sheet.Rows[g.rows[i]]
			id, name := headID(b.cell(r, FieldHeadID)), b.cell(r, FieldHeadName)
			if id != "" && id == p.in.IDNumber || id == "" && name != "" && name == p.in.Name {
				head = i
				break
			}
		}
		if head < 0 && len(members) > 1 {
			b.fail(first, FieldHeadName, "本户没有户主行：户主姓名或户主身份证号与本户各行都对不上", "the household has no head row: no row matches the head's name or ID number")
			return -1
		}
	}
	head = max(head, 0)
	members[head].in.Relation = "head"
	return head
}

// checkHeadIDs reports rows whose 户主身份证号 is not the ID number of the
// household's head: a row sorted under the wrong household.
func (b *builder) checkHeadIDs(g *group, members []personRow, head int) {
	c, ok := b.m[FieldHeadID]
	want := headID(members[head].in.IDNumber)
	if !ok || c == b.m[FieldIDNumber] && b.m.has(FieldIDNumber) || want == "" {
		return
	}
	for i, p := range members {
		if id := headID(b.sheet.Rows[g.rows[i]].Cell(c)); id != "" && id != want {
			b.fail(p.row, FieldHeadID, "户主身份证号与本户户主行的身份证号不一致，请检查本行是否排在了别的户下",
				"the head's ID number differs from the ID number on the household's head row: check that this row is under the right household")
		}
	}
}

// headID normalises an ID number of the head columns for comparisons; a
// 15-digit number becomes 18 characters, as the person's own number does.
func headID(s string) string {
	id := normID(s)
	if len(id) == 15 {
		if n, err := idcard.Convert15(id); err == nil {
			return n
		}
	}
	return id
}

// value returns a household field: from the head row, else from the first
// row of the household that has it (cells merged over the household's
// rows keep their value in the first row only), and the row it came from.
func (b *builder) value(g *group, head int, f Field) (string, int) {
	if !b.m.has(f) {
		return "", 0
	}
	if head >= 0 {
		r := b.sheet.Rows[g.rows[head]]
		if s := b.cell(r, f); s != "" {
			return s, r.Number
		}
	}
	for _, ri := range g.rows {
		r := b.sheet.Rows[ri]
		if s := b.cell(r, f); s != "" {
			return s, r.Number
		}
	}
	return "", 0
}

func (b *builder) hhVocab(g *group, head int, f Field, v safetynet.Vocab) string {
	s, row := b.value(g, head, f)
	if s == "" {
		return ""
	}
	code, ok := b.parse(f, v, s)
	if !ok {
		b.failVocab(row, f, s, v)
	}
	return code
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
