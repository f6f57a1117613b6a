package safetynet

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseCategory(t *testing.T) {
	tests := []struct {
		subject Subject
		text    string
		want    string // "" for not found
	}{
		{SubjectHousehold, "dibao", "dibao"},
		{SubjectHousehold, "低保户", "dibao"},
		{SubjectHousehold, "低保", "dibao"},
		{SubjectHousehold, "低保家庭", "dibao"},
		{SubjectHousehold, "DIBAO", "dibao"},
		{SubjectHousehold, "Minimum Living Allowance", "dibao"},
		{SubjectHousehold, "  五保户 ", "tekun"},
		{SubjectHousehold, "脱贫人口", "tuopin"},
		{SubjectHousehold, "脱贫户（已脱贫）", "tuopin"},
		{SubjectHousehold, "脱贫不稳定户", CatMonitorUnstable},
		{SubjectHousehold, "边缘户", CatMonitorMarginal},
		{SubjectHousehold, "突发困难户", CatMonitorSudden},
		{SubjectHousehold, "隔代家庭", "grandparent_headed"},
		{SubjectHousehold, "风险标注", CatRisk},
		{SubjectHousehold, "风险户", CatRisk},
		{SubjectHousehold, "risk label", CatRisk},
		{SubjectPerson, "风险标注", CatPersonRisk},
		{SubjectPerson, "risk label", CatPersonRisk},
		{SubjectPerson, "低保对象", "dibao_person"},
		{SubjectPerson, "低保人员", "dibao_person"},
		{SubjectPerson, "五保对象", "tekun_person"},
		{SubjectPerson, "空巢老人", CatElderlyAlone},
		{SubjectPerson, "重病患者", "serious_illness"},
		{SubjectPerson, "Orphan", "orphan"},
		// Categories of the other subject are not found.
		{SubjectPerson, "低保", ""},
		{SubjectPerson, "dibao", ""},
		{SubjectPerson, "五保户", ""},
		{SubjectHousehold, "dibao_person", ""},
		{SubjectHousehold, "留守老人", ""},
		{SubjectHousehold, CatPersonRisk, ""},
		// Nonsense.
		{SubjectHousehold, "", ""},
		{SubjectHousehold, "   ", ""},
		{SubjectHousehold, "贫困户", ""},
		{SubjectHousehold, "低 保", ""},
		{"", "dibao", ""},
		{"village", "dibao", ""},
	}
	for _, tt := range tests {
		got, ok := ParseCategory(tt.subject, tt.text)
		if tt.want == "" {
			if ok {
				t.Errorf("ParseCategory(%q, %q) = %q, want not found", tt.subject, tt.text, got.Code)
			}
			continue
		}
		if !ok || got.Code != tt.want {
			t.Errorf("ParseCategory(%q, %q) = %q, %v; want %q", tt.subject, tt.text, got.Code, ok, tt.want)
			continue
		}
		if got.For != tt.subject {
			t.Errorf("ParseCategory(%q, %q) gave a category for %q", tt.subject, tt.text, got.For)
		}
	}
}

// TestParseCategoryEveryName checks that every code, label and synonym of a
// category parses back to that category: no name is shadowed by another
// category of the same subject.
func TestParseCategoryEveryName(t *testing.T) {
	for _, c := range Categories {
		names := append([]string{c.Code, c.ZH, c.EN, strings.ToUpper(c.Code)}, c.Synonyms...)
		for _, n := range names {
			got, ok := ParseCategory(c.For, n)
			if !ok || got.Code != c.Code {
				t.Errorf("ParseCategory(%q, %q) = %q, %v; want %q", c.For, n, got.Code, ok, c.Code)
			}
		}
	}
}

func TestCategoriesCatalogue(t *testing.T) {
	seen := map[string]bool{}
	householdsDone := false
	var risk, monitored []string
	for _, c := range Categories {
		if c.Code == "" || c.ZH == "" || c.EN == "" {
			t.Errorf("category %+v lacks a code or label", c)
		}
		if seen[c.Code] {
			t.Errorf("duplicate category code %q", c.Code)
		}
		seen[c.Code] = true
		switch c.For {
		case SubjectHousehold:
			if householdsDone {
				t.Errorf("household category %q after person categories", c.Code)
			}
		case SubjectPerson:
			householdsDone = true
		default:
			t.Errorf("category %q is for %q", c.Code, c.For)
		}
		if c.Risk {
			risk = append(risk, c.Code)
		}
		if c.Monitored {
			monitored = append(monitored, c.Code)
			if c.Group != "monitoring" || c.For != SubjectHousehold {
				t.Errorf("monitored category %q: group %q, for %q", c.Code, c.Group, c.For)
			}
		}
	}
	if want := []string{CatRisk, CatPersonRisk}; !slices.Equal(risk, want) {
		t.Errorf("risk categories = %q, want %q", risk, want)
	}
	if want := []string{CatMonitorUnstable, CatMonitorMarginal, CatMonitorSudden}; !slices.Equal(monitored, want) {
		t.Errorf("monitored categories = %q, want %q", monitored, want)
	}
	if n := len(CategoriesFor(SubjectHousehold)); n != 10 {
		t.Errorf("%d household categories, want 10", n)
	}
	if n := len(CategoriesFor(SubjectPerson)); n != 13 {
		t.Errorf("%d person categories, want 13", n)
	}
	if got := CategoriesFor("village"); got != nil {
		t.Errorf("CategoriesFor(village) = %v, want nil", got)
	}
}

func TestCategoryByCodeAndLabel(t *testing.T) {
	tests := []struct {
		code   string
		found  bool
		for_   Subject
		zh, en string
	}{
		{"dibao", true, SubjectHousehold, "低保户", "minimum living allowance"},
		{"dibao_person", true, SubjectPerson, "低保对象", "dibao recipient"},
		{CatRisk, true, SubjectHousehold, "风险标注", "risk label"},
		{CatPersonRisk, true, SubjectPerson, "风险标注", "risk label"},
		{CatElderlyAlone, true, SubjectPerson, "独居老人", "elderly living alone"},
		{"unknown", false, "", "unknown", "unknown"},
		{"低保户", false, "", "低保户", "低保户"},
		{"", false, "", "", ""},
	}
	for _, tt := range tests {
		c, ok := CategoryByCode(tt.code)
		if ok != tt.found || c.For != tt.for_ {
			t.Errorf("CategoryByCode(%q) = %+v, %v", tt.code, c, ok)
		}
		if got := CategoryLabel(tt.code, "zh"); got != tt.zh {
			t.Errorf("CategoryLabel(%q, zh) = %q, want %q", tt.code, got, tt.zh)
		}
		if got := CategoryLabel(tt.code, "en"); got != tt.en {
			t.Errorf("CategoryLabel(%q, en) = %q, want %q", tt.code, got, tt.en)
		}
	}
}

func TestCheckNewAssignment(t *testing.T) {
	today := time.Date(2025, 6, 10, 0, 0, 0, 0, cst)
	tests := []struct {
		name      string
		subject   Subject
		in        NewAssignment
		wantField string // "" for valid
	}{
		{"household category today", SubjectHousehold, NewAssignment{Category: "dibao", Start: today}, ""},
		{"start in the past", SubjectHousehold, NewAssignment{Category: "tekun", Start: today.AddDate(-3, 0, 0)}, ""},
		{"start tomorrow is tolerated", SubjectHousehold, NewAssignment{Category: "dibao", Start: today.AddDate(0, 0, 1)}, ""},
		{"start later today", SubjectHousehold, NewAssignment{Category: "dibao", Start: today.Add(23 * time.Hour)}, ""},
		{"person category", SubjectPerson, NewAssignment{Category: "orphan", Start: today}, ""},
		{"risk with type", SubjectHousehold, NewAssignment{Category: CatRisk, RiskType: "illness", Start: today}, ""},
		{"person risk with type", SubjectPerson, NewAssignment{Category: CatPersonRisk, RiskType: "disaster", Start: today}, ""},
		{"monitored without type", SubjectHousehold, NewAssignment{Category: CatMonitorSudden, Start: today}, ""},
		{"monitored with type", SubjectHousehold, NewAssignment{Category: CatMonitorMarginal, RiskType: "employment", Start: today}, ""},
		{"unknown category", SubjectHousehold, NewAssignment{Category: "poor", Start: today}, "category"},
		{"empty category", SubjectHousehold, NewAssignment{Start: today}, "category"},
		{"label instead of code", SubjectHousehold, NewAssignment{Category: "低保户", Start: today}, "category"},
		{"person category for a household", SubjectHousehold, NewAssignment{Category: "orphan", Start: today}, "category"},
		{"household category for a person", SubjectPerson, NewAssignment{Category: "dibao", Start: today}, "category"},
		{"household risk for a person", SubjectPerson, NewAssignment{Category: CatRisk, RiskType: "illness", Start: today}, "category"},
		{"unknown subject", "village", NewAssignment{Category: "dibao", Start: today}, "category"},
		{"risk without type", SubjectHousehold, NewAssignment{Category: CatRisk, Start: today}, "risk_type"},
		{"person risk without type", SubjectPerson, NewAssignment{Category: CatPersonRisk, Start: today}, "risk_type"},
		{"unknown risk type", SubjectHousehold, NewAssignment{Category: CatRisk, RiskType: "bad_luck", Start: today}, "risk_type"},
		{"risk type label instead of code", SubjectHousehold, NewAssignment{Category: CatRisk, RiskType: "因病", Start: today}, "risk_type"},
		{"bad risk type on other category", SubjectHousehold, NewAssignment{Category: "dibao", RiskType: "x", Start: today}, "risk_type"},
		{"no start", SubjectHousehold, NewAssignment{Category: "dibao"}, "start"},
		{"start the day after tomorrow", SubjectHousehold, NewAssignment{Category: "dibao", Start: today.AddDate(0, 0, 2)}, "start"},
		{"start just after tomorrow", SubjectHousehold, NewAssignment{Category: "dibao", Start: today.AddDate(0, 0, 1).Add(time.Second)}, "start"},
		{"start next year", SubjectPerson, NewAssignment{Category: "orphan", Start: today.AddDate(1, 0, 0)}, "start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CheckNewAssignment(tt.subject, tt.in, today)
			if tt.wantField != "" {
				assertInvalid(t, err, tt.wantField)
				return
			}
			if err != nil {
				t.Fatalf("CheckNewAssignment: %v", err)
			}
			if c.Code != tt.in.Category || c.For != tt.subject {
				t.Errorf("got category %q for %q, want %q for %q", c.Code, c.For, tt.in.Category, tt.subject)
			}
		})
	}
}

func TestAssignmentActive(t *testing.T) {
	if !(Assignment{Start: time.Now()}).Active() {
		t.Error("an assignment without an end is not active")
	}
	if (Assignment{End: time.Date(2025, 1, 1, 0, 0, 0, 0, cst)}).Active() {
		t.Error("an ended assignment is active")
	}
}

func TestVocabMethods(t *testing.T) {
	v := Vocab{
		{"a", "甲", "Alpha", []string{"First", "一"}},
		{"b", "乙", "beta", nil},
	}
	tests := []struct {
		text   string
		want   string
		wantOK bool
	}{
		{"a", "a", true},
		{"A", "a", true},
		{" b ", "b", true},
		{"甲", "a", true},
		{"alpha", "a", true},
		{"ALPHA", "a", true},
		{"first", "a", true},
		{"一", "a", true},
		{"乙", "b", true},
		{"BETA", "b", true},
		{"", "", false},
		{"c", "", false},
		{"alph", "", false},
	}
	for _, tt := range tests {
		got, ok := v.Parse(tt.text)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.wantOK)
		}
	}
	if !v.Valid("a") || v.Valid("A") || v.Valid("甲") || v.Valid("") {
		t.Error("Valid accepts something other than exact codes")
	}
	if got := v.Label("a", "zh"); got != "甲" {
		t.Errorf("Label(a, zh) = %q", got)
	}
	if got := v.Label("b", "en"); got != "beta" {
		t.Errorf("Label(b, en) = %q", got)
	}
	if got := v.Label("z", "zh"); got != "z" {
		t.Errorf("Label(z, zh) = %q, want the code", got)
	}
	if got := v.Codes(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Codes() = %q", got)
	}
	if got := v.ZHList(); got != "甲、乙" {
		t.Errorf("ZHList() = %q", got)
	}
	if got := (Vocab{}).ZHList(); got != "" {
		t.Errorf("empty ZHList() = %q", got)
	}
}

// TestVocabulariesUnambiguous checks that, in every vocabulary, codes are
// unique and each code, label and synonym parses back to its own option.
func TestVocabulariesUnambiguous(t *testing.T) {
	vocabs := map[string]Vocab{
		"Relations": Relations, "DisabilityKinds": DisabilityKinds, "HealthStatuses": HealthStatuses,
		"Educations": Educations, "Labours": Labours, "Housings": Housings, "Waters": Waters,
		"RiskTypes": RiskTypes, "EndReasons": EndReasons, "Sexes": Sexes,
		"ClueKinds": ClueKinds, "ClueSources": ClueSources, "Urgencies": Urgencies, "ChecklistItems": ChecklistItems,
		"VerifyDecisions": VerifyDecisions, "CaseOutcomes": CaseOutcomes,
	}
	for name, v := range vocabs {
		seen := map[string]bool{}
		for _, o := range v {
			if seen[o.Code] {
				t.Errorf("%s: duplicate code %q", name, o.Code)
			}
			seen[o.Code] = true
			for _, text := range append([]string{o.Code, o.ZH, o.EN}, o.Synonyms...) {
				if got, ok := v.Parse(text); !ok || got != o.Code {
					t.Errorf("%s.Parse(%q) = %q, %v; want %q", name, text, got, ok, o.Code)
				}
			}
		}
	}
}
