package safetynet

import (
	"slices"
	"strings"
	"testing"
)

func TestLevelsOrder(t *testing.T) {
	want := []Level{"country", "province", "prefecture", "county", "town", "village", "group", "grid"}
	if !slices.Equal(Levels, want) {
		t.Fatalf("Levels = %v, want %v", Levels, want)
	}
	for i, l := range Levels {
		if got := l.Rank(); got != i {
			t.Errorf("%s.Rank() = %d, want %d", l, got, i)
		}
		if !l.Valid() {
			t.Errorf("%s.Valid() = false", l)
		}
	}
}

func TestLevelRankValidLabel(t *testing.T) {
	tests := []struct {
		level  Level
		valid  bool
		rank   int
		zh, en string
	}{
		{LevelCountry, true, 0, "全国", "country"},
		{LevelProvince, true, 1, "省", "province"},
		{LevelPrefecture, true, 2, "市(州)", "prefecture"},
		{LevelCounty, true, 3, "县(区)", "county"},
		{LevelTown, true, 4, "乡镇(街道)", "town"},
		{LevelVillage, true, 5, "村(社区)", "village"},
		{LevelGroup, true, 6, "村(居)民小组", "group"},
		{LevelGrid, true, 7, "网格", "grid"},
		{"", false, -1, "", ""},
		{"city", false, -1, "city", "city"},
		{"Village", false, -1, "Village", "Village"},
	}
	for _, tt := range tests {
		if got := tt.level.Valid(); got != tt.valid {
			t.Errorf("%q.Valid() = %v, want %v", tt.level, got, tt.valid)
		}
		if got := tt.level.Rank(); got != tt.rank {
			t.Errorf("%q.Rank() = %d, want %d", tt.level, got, tt.rank)
		}
		if got := tt.level.Label("zh"); got != tt.zh {
			t.Errorf("%q.Label(zh) = %q, want %q", tt.level, got, tt.zh)
		}
		if got := tt.level.Label("en"); got != tt.en {
			t.Errorf("%q.Label(en) = %q, want %q", tt.level, got, tt.en)
		}
		if got := tt.level.Label("fr"); got != tt.en {
			t.Errorf("%q.Label(fr) = %q, want the English %q", tt.level, got, tt.en)
		}
	}
}

func TestCanContain(t *testing.T) {
	allowed := map[[2]Level]bool{
		{LevelCountry, LevelProvince}:    true,
		{LevelProvince, LevelPrefecture}: true,
		{LevelPrefecture, LevelCounty}:   true,
		{LevelProvince, LevelCounty}:     true, // 省直辖县
		{LevelCounty, LevelTown}:         true,
		{LevelTown, LevelVillage}:        true,
		{LevelVillage, LevelGroup}:       true,
		{LevelGroup, LevelGrid}:          true,
		{LevelVillage, LevelGrid}:        true,
	}
	all := append(slices.Clone(Levels), "", "city")
	for _, parent := range all {
		for _, child := range all {
			want := allowed[[2]Level{parent, child}]
			if got := CanContain(parent, child); got != want {
				t.Errorf("CanContain(%q, %q) = %v, want %v", parent, child, got, want)
			}
			if CanContain(parent, child) && parent.Rank() >= child.Rank() {
				t.Errorf("CanContain(%q, %q) but the parent does not rank above the child", parent, child)
			}
		}
	}
}

func TestCanContainExamples(t *testing.T) {
	tests := []struct {
		parent, child Level
		want          bool
	}{
		{LevelCountry, LevelProvince, true},
		{LevelProvince, LevelCounty, true},
		{LevelVillage, LevelGrid, true},
		{LevelGroup, LevelGrid, true},
		{LevelCountry, LevelCountry, false},
		{LevelProvince, LevelCountry, false},
		{LevelTown, LevelCounty, false},
		{LevelCountry, LevelCounty, false},
		{LevelCounty, LevelVillage, false},
		{LevelTown, LevelGrid, false},
		{LevelGrid, LevelGrid, false},
		{LevelGrid, LevelGroup, false},
		{LevelVillage, LevelVillage, false},
	}
	for _, tt := range tests {
		if got := CanContain(tt.parent, tt.child); got != tt.want {
			t.Errorf("CanContain(%s, %s) = %v, want %v", tt.parent, tt.child, got, tt.want)
		}
	}
}

func TestPlaceLabel(t *testing.T) {
	tests := []struct {
		place    Place
		lang     string
		wantText string
	}{
		{Place{Name: "红星村", Level: LevelVillage}, "zh", "红星村（村(社区)）"},
		{Place{Name: "红星村", Level: LevelVillage}, "en", "红星村（village）"},
		{Place{Name: "一组", Level: LevelGroup}, "zh", "一组（村(居)民小组）"},
		{Place{Name: "X", Level: "odd"}, "zh", "X（odd）"},
	}
	for _, tt := range tests {
		if got := tt.place.Label(tt.lang); got != tt.wantText {
			t.Errorf("%+v.Label(%q) = %q, want %q", tt.place, tt.lang, got, tt.wantText)
		}
	}
}

func TestCheckPlaceName(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"红星村", "红星村", false},
		{"  红星村 \t", "红星村", false},
		{"Group 1", "Group 1", false},
		{strings.Repeat("村", MaxPlaceNameLen), strings.Repeat("村", MaxPlaceNameLen), false},
		{strings.Repeat("a", MaxPlaceNameLen), strings.Repeat("a", MaxPlaceNameLen), false},
		{"", "", true},
		{"   ", "", true},
		{"\t\n", "", true},
		{strings.Repeat("村", MaxPlaceNameLen+1), "", true},
		{"红星\n村", "", true},
		{"红星\r村", "", true},
		{"红星\t村", "", true},
	}
	for _, tt := range tests {
		got, err := CheckPlaceName(tt.in)
		if tt.wantErr {
			assertInvalid(t, err, "name")
			if got != "" {
				t.Errorf("CheckPlaceName(%q) = %q with an error, want \"\"", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("CheckPlaceName(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("CheckPlaceName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckPlaceCode(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
	}{
		{"0", true},
		{"530302", true},
		{"530302101001", true},
		{"530302101001-g1", true},
		{"ABC-def-123", true},
		{strings.Repeat("9", 32), true},
		{"", false},
		{strings.Repeat("9", 33), false},
		{"5303 02", false},
		{" 530302", false},
		{"530302_1", false},
		{"530302.1", false},
		{"５３０３", false},
		{"红星", false},
		{"a/b", false},
	}
	for _, tt := range tests {
		err := CheckPlaceCode(tt.code)
		if tt.ok {
			if err != nil {
				t.Errorf("CheckPlaceCode(%q): %v", tt.code, err)
			}
			continue
		}
		assertInvalid(t, err, "code")
	}
}
