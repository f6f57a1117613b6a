package ledger

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"safetynet"
)

// shape summarises households as "key@place: row name, row name" lines.
func shape(hhs []safetynet.LedgerHousehold) []string {
	var out []string
	for _, h := range hhs {
		var names []string
		for _, m := range h.Members {
			names = append(names, m.Person.Name+"/"+m.Person.Relation)
		}
		out = append(out, h.Key+"@"+h.Household.PlaceCode+": "+strings.Join(names, ","))
	}
	return out
}

func TestBuildGrouping(t *testing.T) {
	tests := []struct {
		name   string
		sheet  *Sheet
		opt    Options
		want   []string
		hhRows []int
	}{
		{"head rows start households",
			sheetOf([]string{"姓名", "身份证号", "与户主关系", "所属村组"},
				[]string{"王芳", idA, "户主", "腰站棠梨湾"},
				[]string{"李强", idC, "配偶"},
				[]string{"赵六", idD, "本人", "新村1组"},
				[]string{"钱七", idE, "之子", "新村1组"}),
			Options{},
			[]string{"head:" + idA + "@530302101001-01: 王芳/head,李强/spouse", "head:" + idD + "@530302101002-01: 赵六/head,钱七/son"},
			[]int{2, 4}},
		{"household numbers, rows apart and merged",
			sheetOf([]string{"户编号", "所属村组", "姓名", "身份证号", "与户主关系"},
				[]string{"001", "腰站一组", "李强", idC, "配偶"},
				[]string{"", "", "王芳", idA, "户主"},
				[]string{"002", "新村", "赵六", idD, "户主"},
				[]string{"001", "", "钱七", idE, "子"}),
			Options{},
			[]string{"number:001@530302101001-02: 王芳/head,李强/spouse,钱七/son", "number:002@530302101002: 赵六/head"},
			[]int{2, 4}},
		{"household numbers without relations",
			sheetOf([]string{"户编号", "姓名", "身份证号", "所属村组"},
				[]string{"001", "王芳", idA, "腰站"},
				[]string{"", "李强", idC, ""},
				[]string{"002", "赵六", idD, "新村"}),
			Options{},
			[]string{"number:001@530302101001: 王芳/head,李强/", "number:002@530302101002: 赵六/head"},
			[]int{2, 4}},
		{"default place for an empty place cell",
			sheetOf([]string{"姓名", "身份证号", "与户主关系", "所属村组"},
				[]string{"王芳", idA, "户主", ""},
				[]string{"赵六", idD, "户主", "腰站"}),
			Options{DefaultPlace: "530302101002"},
			[]string{"head:" + idA + "@530302101002: 王芳/head", "head:" + idD + "@530302101001: 赵六/head"},
			[]int{2, 3}},
		{"head columns on every row",
			sheetOf([]string{"户主姓名", "户主身份证号", "姓名", "身份证号", "村组"},
				[]string{"王芳", idA, "李强", idC, "腰站"},
				[]string{"赵六", idD, "赵六", idD, "新村"},
				[]string{"王芳", idA, "王芳", idA, "腰站"}),
			Options{},
			[]string{"head:" + idA + "@530302101001: 王芳/head,李强/", "head:" + idD + "@530302101002: 赵六/head"},
			[]int{2, 3}},
		{"head names with a merged place",
			sheetOf([]string{"户主姓名", "姓名", "村组"},
				[]string{"王芳", "王芳", "腰站"},
				[]string{"王芳", "李强", ""},
				[]string{"王芳", "王小芳", "新村"}),
			Options{},
			[]string{"name:王芳@530302101001@530302101001: 王芳/head,李强/", "name:王小芳@530302101002@530302101002: 王小芳/head"},
			[]int{2, 4}},
		{"one row per household",
			sheetOf([]string{"户主姓名", "户主身份证号", "家庭人口"},
				[]string{"王芳", idA, "1"},
				[]string{"赵六", idD, "1"}),
			Options{DefaultPlace: "530302101001"},
			[]string{"head:" + idA + "@530302101001: 王芳/head", "head:" + idD + "@530302101001: 赵六/head"},
			[]int{2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hhs, errs := build(tc.sheet, tc.opt)
			if len(errs) > 0 {
				t.Fatalf("errors:%s", errorsText(errs))
			}
			if got := shape(hhs); !slices.Equal(got, tc.want) {
				t.Errorf("households:\n%q\nwant\n%q", got, tc.want)
			}
			var rows []int
			for _, h := range hhs {
				rows = append(rows, h.Row)
			}
			if !slices.Equal(rows, tc.hhRows) && len(tc.hhRows) > 0 {
				t.Errorf("household rows = %v; want %v", rows, tc.hhRows)
			}
		})
	}
}

var longDigits = regexp.MustCompile(`[0-9]{7,}`)

func TestBuildRowErrors(t *testing.T) {
	badCheck := idA[:17] + "1"
	header := []string{"户编号", "所属村组", "姓名", "身份证号", "与户主关系", "家庭人口", "健康状况", "性别"}
	tests := []struct {
		name     string
		rows     [][]string
		row      int
		column   string
		zh       string
		families int // households without errors
	}{
		{"bad check digit", [][]string{{"1", "腰站", "王芳", badCheck, "户主"}}, 2, "身份证号", "身份证号无效", 0},
		{"unknown relation", [][]string{{"1", "腰站", "王芳", idA, "户主"}, {"1", "", "李强", idC, "邻居"}}, 3, "与户主关系", "与户主关系“邻居”无法识别，应为：户主、配偶", 0},
		{"ID stored as a float", [][]string{{"1", "腰站", "王芳", "4.40524188001E+17", "户主"}}, 2, "身份证号", lostIDZH, 0},
		{"ID stored as a number shown in full", [][]string{{"1", "腰站", "王芳", "440524188001010000", "户主"}}, 2, "身份证号", lostIDZH, 0},
		{"family size", [][]string{{"1", "腰站", "王芳", idA, "户主", "5"}, {"1", "", "李强", idC, "配偶"}, {"1", "", "赵六", idD, "子"}, {"1", "", "钱七", idE, "子"}},
			2, "家庭人口", "家庭人口为5，但本户只有4行成员", 0},
		{"unknown place", [][]string{{"1", "腰站棠梨弯", "王芳", idA, "户主"}}, 2, "所属村组", "所属村组“腰站棠梨弯”在您负责的范围内找不到", 0},
		{"ambiguous place", [][]string{{"1", "一组", "王芳", idA, "户主"}}, 2, "所属村组", "可能是：新村村民委员会/第一村民小组、腰站社区居民委员会/一组", 0},
		{"no place", [][]string{{"1", "", "王芳", idA, "户主"}}, 2, "所属村组", "请填写所属村组", 0},
		{"missing head", [][]string{{"", "腰站", "李强", idC, "配偶"}, {"", "", "钱七", idE, "子"}, {"", "腰站", "王芳", idA, "户主"}}, 2, "与户主关系", "本户没有户主行", 1},
		{"two heads", [][]string{{"1", "腰站", "王芳", idA, "户主"}, {"1", "", "李强", idC, "户主"}}, 3, "与户主关系", "本户有多个户主行（第2行已是户主）", 0},
		{"repeated ID", [][]string{{"1", "腰站", "王芳", idA, "户主"}, {"2", "腰站", "王芳", idA, "户主"}}, 3, "身份证号", "身份证号与第2行重复", 1},
		{"unknown health", [][]string{{"1", "腰站", "王芳", idA, "户主", "", "很好"}}, 2, "健康状况", "健康状况“很好”无法识别", 0},
		{"sex against the ID", [][]string{{"1", "腰站", "王芳", idC, "户主", "", "", "女"}}, 2, "性别", "性别与身份证号不符", 0},
		{"no name", [][]string{{"1", "腰站", "", idA, "户主"}}, 2, "姓名", "请填写姓名", 0},
		{"number in a vocabulary cell is masked", [][]string{{"1", "腰站", "王芳", idA, idC}}, 2, "与户主关系", "与户主关系“3710**********2394”无法识别", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hhs, errs := build(sheetOf(header, tc.rows...), Options{})
			found := false
			for _, e := range errs {
				found = found || e.Row == tc.row && e.Field == tc.column && strings.Contains(e.ZH, tc.zh)
				if longDigits.MatchString(e.ZH) || longDigits.MatchString(e.EN) {
					t.Errorf("message shows a number: %q / %q", e.ZH, e.EN)
				}
				if e.EN == "" || e.ZH == "" {
					t.Errorf("message missing in a language: %+v", e)
				}
			}
			if !found {
				t.Errorf("want row %d %s: %s; got%s", tc.row, tc.column, tc.zh, errorsText(errs))
			}
			if len(hhs) != tc.families {
				t.Errorf("%d households returned; want %d", len(hhs), tc.families)
			}
		})
	}
}

func TestBuildHeadIDOfAnotherHousehold(t *testing.T) {
	s := sheetOf([]string{"姓名", "身份证号", "与户主关系", "户主身份证号", "联系电话"},
		[]string{"王芳", idA, "户主", idA, "12345"},
		[]string{"李强", idC, "配偶", idA},
		[]string{"钱七", idE, "子", idD})
	_, errs := build(s, Options{DefaultPlace: "530302101001"})
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%d %s", e.Row, e.Field))
	}
	// The bad phone is reported once, on its row, not again for the household.
	if want := []string{"2 联系电话", "4 户主身份证号"}; !slices.Equal(got, want) {
		t.Errorf("errors = %q; want %q:%s", got, want, errorsText(errs))
	}
}

func TestBuildCollectsAllErrors(t *testing.T) {
	s := sheetOf([]string{"姓名", "身份证号", "与户主关系", "所属村组", "健康状况"},
		[]string{"王芳", idA[:17] + "1", "户主", "腰站", "很好"},
		[]string{"李强", idC, "邻居"},
		[]string{"赵六", idD, "户主", "火星"},
		[]string{"钱七", idE, "户主", "新村"})
	hhs, errs := build(s, Options{})
	rows := []int{}
	for _, e := range errs {
		rows = append(rows, e.Row)
	}
	if want := []int{2, 2, 3, 4}; !slices.Equal(rows, want) {
		t.Errorf("error rows = %v; want %v:%s", rows, want, errorsText(errs))
	}
	if len(hhs) != 1 || hhs[0].Members[0].Person.Name != "钱七" {
		t.Errorf("households = %q; want 钱七's only", shape(hhs))
	}
}

func TestBuildValues(t *testing.T) {
	s := sheetOf([]string{"户编号", "所属村组", "家庭住址", "姓名", "身份证号", "与户主关系", "性别", "出生年月", "联系电话",
		"监测对象类型", "风险类型", "人均纯收入（元）", "住房安全", "饮水安全", "残疾类别", "残疾等级", "在校生", "文化程度",
		"劳动技能", "务工情况", "人员类别", "纳入时间", "备注"},
		[]string{"007", "腰站社区棠梨湾组", "棠梨湾12号", "王芳", idA, "户主", "女", "1949年12月", "138 1234 5678",
			"脱贫户、边缘易致贫户", "因病、因残", "3,580.50", "安全", "饮水安全", "肢体二级", "", "否", "小学",
			"弱劳动力", "", "留守老人，残疾人", "2024/3/1", "重点关注"},
		[]string{"", "", "", "王小明", "", "孙子", "男", "2015-09-01", "", "", "", "", "", "", "", "", "是", "小学", "无劳动力", "", "留守儿童", "", ""},
		[]string{"", "", "", "李强", idC, "子", "", "29502", "", "", "因学", "", "", "", "视力残疾", "1级", "", "", "", "在外省务工", "", "", ""},
	)
	hhs, errs := build(s, Options{})
	if len(errs) > 0 {
		t.Fatalf("errors:%s", errorsText(errs))
	}
	if len(hhs) != 1 {
		t.Fatalf("%d households", len(hhs))
	}
	h := hhs[0]
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	wantHH := safetynet.HouseholdInput{Number: "007", PlaceCode: "530302101001-01", Address: "棠梨湾12号", Phone: "13812345678",
		IncomeYear: 2024, IncomeFen: 358050, Housing: "safe", Water: "safe", Notes: "重点关注"}
	if h.Household != wantHH {
		t.Errorf("household = %+v; want %+v", h.Household, wantHH)
	}
	wantCats := []safetynet.NewAssignment{
		{Category: "tuopin", Start: start},
		{Category: safetynet.CatMonitorMarginal, RiskType: "illness", Start: start},
		{Category: safetynet.CatRisk, RiskType: "illness", Start: start},
		{Category: safetynet.CatRisk, RiskType: "disability", Start: start},
		{Category: safetynet.CatRisk, RiskType: "schooling", Start: start},
	}
	if !slices.Equal(h.Categories, wantCats) {
		t.Errorf("categories = %+v; want %+v", h.Categories, wantCats)
	}
	head := h.Members[0]
	if p := head.Person; p.Sex != "F" || p.DisabilityKind != "physical" || p.DisabilityGrade != 2 || p.Education != "primary" ||
		p.Labour != "weak" || p.Phone != "13812345678" || p.Birth.Format("2006-01-02") != "1949-12-31" {
		t.Errorf("head = %+v", p)
	}
	if cats := head.Categories; len(cats) != 2 || cats[0].Category != "left_behind_elderly" || cats[1].Category != "disabled" || !cats[0].Start.Equal(start) {
		t.Errorf("head categories = %+v", cats)
	}
	child := h.Members[1].Person
	if child.Birth.Format("2006-01-02") != "2015-09-01" || child.Sex != "M" || !child.InSchool || child.Relation != "grandson" || child.IDNumber != "" {
		t.Errorf("child = %+v", child)
	}
	son := h.Members[2].Person
	if son.Birth.Format("2006-01-02") != "1980-10-08" || son.DisabilityKind != "visual" || son.DisabilityGrade != 1 || son.Work != "在外省务工" {
		t.Errorf("son = %+v", son)
	}
}

func TestBuildBirthChecks(t *testing.T) {
	header := []string{"姓名", "身份证号", "与户主关系", "出生日期"}
	tests := []struct {
		name, id, birth, zh string
	}{
		{"day against the ID", idC, "1980-10-09", "出生日期与身份证号不符"},
		{"month against the ID", idC, "1980年11月", "出生日期与身份证号不符"},
		{"month without an ID", "", "1980年11月", "需要写到日"},
		{"not a date", "", "八零年", "无法识别"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := build(sheetOf(header, []string{"李强", tc.id, "户主", tc.birth}), Options{DefaultPlace: "530302101001"})
			if len(errs) != 1 || errs[0].Field != "出生日期" || !strings.Contains(errs[0].ZH, tc.zh) {
				t.Errorf("errors:%s; want %s", errorsText(errs), tc.zh)
			}
		})
	}
}

func TestBuildCategoryErrors(t *testing.T) {
	header := []string{"姓名", "身份证号", "户类型", "风险类型", "人员类别"}
	tests := []struct {
		name      string
		row       []string
		column    string
		zh        string
		wantCount int
	}{
		{"unknown category", []string{"王芳", idA, "富裕户"}, "户类型", "户类型“富裕户”无法识别", 1},
		{"two monitored kinds", []string{"王芳", idA, "边缘易致贫户、突发严重困难户"}, "户类型", "只能是一种监测对象", 1},
		{"risk household without a risk", []string{"王芳", idA, "风险户"}, "风险类型", "风险户需要", 1},
		{"unknown risk", []string{"王芳", idA, "", "因懒"}, "风险类型", "风险类型“因懒”无法识别", 1},
		{"unknown person category", []string{"王芳", idA, "", "", "富豪"}, "人员类别", "人员类别“富豪”无法识别", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := build(sheetOf(header, tc.row), Options{DefaultPlace: "530302101001"})
			if len(errs) != tc.wantCount || errs[0].Field != tc.column || !strings.Contains(errs[0].ZH, tc.zh) {
				t.Errorf("errors:%s; want %s: %s", errorsText(errs), tc.column, tc.zh)
			}
		})
	}
}

func TestBuildErrorCap(t *testing.T) {
	s := &Sheet{Header: []string{"姓名", "身份证号", "与户主关系"}, HeaderRow: 1}
	for i := range safetynet.MaxImportErrors + 50 {
		s.Rows = append(s.Rows, Row{Number: i + 2, Cells: []string{"王芳", "123", "户主"}})
	}
	_, errs := build(s, Options{DefaultPlace: "530302101001"})
	if len(errs) != safetynet.MaxImportErrors {
		t.Errorf("%d errors; want the cap %d", len(errs), safetynet.MaxImportErrors)
	}
}
