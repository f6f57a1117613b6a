package ledger

import (
	"testing"

	"safetynet"
)

// TestVillageLedgerRelations reads a ledger written the way village staff
// and the national monitoring system's exports write the relation to the
// head: generic words (子女, 孙子女, 父母) become generic codes, precise ones
// (长子, 外孙女, 之岳父) precise codes.
func TestVillageLedgerRelations(t *testing.T) {
	rels := []struct{ text, code string }{
		{"户主本人", "head"}, {"妻", "spouse"}, {"子女", "child"}, {"儿子", "son"}, {"长子", "son"}, {"次子", "son"},
		{"三子", "son"}, {"女儿", "daughter"}, {"长女", "daughter"}, {"次女", "daughter"}, {"之子", "son"}, {"之女", "daughter"},
		{"孙子女", "grandchild"}, {"孙子", "grandson"}, {"孙女", "granddaughter"}, {"外孙子女", "grandchild"},
		{"外孙子", "grandson"}, {"外孙女", "granddaughter"}, {"曾孙子女", "great_grandchild"}, {"父母", "parent"},
		{"父亲", "father"}, {"母亲", "mother"}, {"岳父", "father_in_law"}, {"岳母", "mother_in_law"}, {"公公", "father_in_law"},
		{"婆婆", "mother_in_law"}, {"儿媳", "daughter_in_law"}, {"女婿", "son_in_law"}, {"兄弟姐妹", "sibling"}, {"兄弟", "sibling"},
		{"姐妹", "sibling"}, {"祖父母", "grandparent"}, {"外祖父母", "grandparent"}, {"其他", "other"},
	}
	rows := [][]any{
		{"腰站社区2025年防返贫监测对象信息台账"},
		{"序号", "户编号", "所属村组", "姓名", "身份证号码", "与户主关系", "联系电话"},
	}
	name := func(i int) string { return "成员" + string(rune('甲'+i)) }
	for i, r := range rels {
		num := "001"
		if i >= len(rels)/2 {
			num = "002"
		}
		if i == len(rels)/2 { // the second household's head, written as ledgers do
			rows = append(rows, []any{"", num, "棠梨湾组", "户主乙", nthID(99), "本人", ""})
		}
		rows = append(rows, []any{len(rows) - 1, num, "棠梨湾组", name(i), nthID(i + 1), " " + r.text + " ", ""})
	}
	data := xlsxFile(t, rows)
	saveFixture(t, "village-relations.xlsx", data)
	s, err := Read("台账.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	hhs, errs := build(s, Options{})
	if len(errs) > 0 {
		t.Fatalf("errors:%s", errorsText(errs))
	}
	got := map[string]string{}
	for _, h := range hhs {
		for _, m := range h.Members {
			got[m.Person.Name] = m.Person.Relation
		}
	}
	for i, r := range rels {
		if got[name(i)] != r.code {
			t.Errorf("%s written %q: relation %q, want %q", name(i), r.text, got[name(i)], r.code)
		}
	}
	if got["户主乙"] != "head" {
		t.Errorf("本人: relation %q, want head", got["户主乙"])
	}
	if len(hhs) != 2 {
		t.Errorf("%d households, want 2", len(hhs))
	}
}

// Every relation code has a Chinese and an English label, and every label
// and synonym reads back as its own code.
func TestRelationLabels(t *testing.T) {
	for _, o := range safetynet.Relations {
		if o.ZH == "" || o.EN == "" {
			t.Errorf("%s lacks a label", o.Code)
		}
		for _, text := range append([]string{o.ZH, o.EN}, o.Synonyms...) {
			if code, ok := safetynet.Relations.Parse(text); !ok || code != o.Code {
				t.Errorf("%q reads as %q, want %q", text, code, o.Code)
			}
		}
	}
}
