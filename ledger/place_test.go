package ledger

import (
	"slices"
	"testing"

	"safetynet"
)

func TestResolve(t *testing.T) {
	ix := NewPlaceIndex(testPlaces())
	tests := []struct {
		text  string
		want  string
		cands []string // for ambiguous texts
	}{
		{"腰站社区居民委员会", "530302101001", nil},
		{"腰站社区", "530302101001", nil},
		{"腰站", "530302101001", nil},
		{"腰站居委会", "530302101001", nil},
		{"腰站社区棠梨湾组", "530302101001-01", nil},
		{"腰站 棠梨湾", "530302101001-01", nil},
		{"棠梨湾居民小组", "530302101001-01", nil},
		{"棠梨湾", "530302101001-01", nil},
		{"棠梨湾小组", "530302101001-01", nil},
		{"某某镇腰站社区棠梨湾组", "530302101001-01", nil},
		{"某某县某某镇腰站棠梨湾", "530302101001-01", nil},
		{"腰站一组", "530302101001-02", nil},
		{"腰站社区1组", "530302101001-02", nil},
		{"腰站社区第一组", "530302101001-02", nil},
		{"新村1组", "530302101002-01", nil},
		{"新村村委会第一村民小组", "530302101002-01", nil},
		{"新村", "530302101002", nil},
		{"东片网格", "530302101002-G1", nil},
		{"新村东片", "530302101002-G1", nil},
		{"530302101001-02", "530302101001-02", nil},
		{"一组", "", []string{"新村村民委员会/第一村民小组", "腰站社区居民委员会/一组"}},
		{"1组", "", []string{"新村村民委员会/第一村民小组", "腰站社区居民委员会/一组"}},
		{"新村棠梨湾", "", nil}, // 棠梨湾 is not in 新村
		{"棠梨弯组", "", nil},
		{"某某镇", "", nil}, // towns are not targets
		{"", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			code, cands, ok := ix.Resolve(tc.text)
			if code != tc.want || ok != (tc.want != "") || !slices.Equal(cands, tc.cands) {
				t.Errorf("Resolve(%q) = %q, %q, %v; want %q, %q", tc.text, code, cands, ok, tc.want, tc.cands)
			}
		})
	}
}

func TestResolvePrefersDeepest(t *testing.T) {
	// A village and its own group share a name: the group is meant.
	ix := NewPlaceIndex([]Place{
		{Code: "v", Name: "大河村", Level: safetynet.LevelVillage, Path: []string{"大河村"}},
		{Code: "g", Name: "大河组", Level: safetynet.LevelGroup, Path: []string{"大河村", "大河组"}},
		{Code: "w", Name: "小溪村", Level: safetynet.LevelVillage, Path: []string{"小溪村"}},
		{Code: "x", Name: "大河小组", Level: safetynet.LevelGroup, Path: []string{"小溪村", "大河小组"}},
	})
	tests := []struct{ text, want string }{
		{"大河村", "v"},
		{"大河村大河组", "g"},
		{"小溪大河", "x"},
		{"大河组", ""}, // in two villages
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if code, _, _ := ix.Resolve(tc.text); code != tc.want {
				t.Errorf("Resolve(%q) = %q; want %q", tc.text, code, tc.want)
			}
		})
	}
	ix = NewPlaceIndex([]Place{
		{Code: "v", Name: "大河村", Level: safetynet.LevelVillage, Path: []string{"大河村"}},
		{Code: "g", Name: "大河组", Level: safetynet.LevelGroup, Path: []string{"大河村", "大河组"}},
	})
	if code, _, _ := ix.Resolve("大河"); code != "g" {
		t.Errorf("Resolve(大河) = %q; want the group, the deepest", code)
	}
}

func TestResolveNilIndex(t *testing.T) {
	var ix *PlaceIndex
	if _, _, ok := ix.Resolve("腰站"); ok {
		t.Error("a nil index resolved a place")
	}
}
