package safetynet

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Level is the rank of a place in the hierarchy.
type Level string

// Levels from the top. Country is the single root that holds every province;
// groups (村民小组) and grids (网格) are local and carry no national code.
const (
	LevelCountry    Level = "country"
	LevelProvince   Level = "province"
	LevelPrefecture Level = "prefecture"
	LevelCounty     Level = "county"
	LevelTown       Level = "town"
	LevelVillage    Level = "village"
	LevelGroup      Level = "group"
	LevelGrid       Level = "grid"
)

// RootPlaceCode is the code of the country place at the top of the tree.
const RootPlaceCode = "0"

// Levels lists every level from the top down.
var Levels = []Level{LevelCountry, LevelProvince, LevelPrefecture, LevelCounty, LevelTown, LevelVillage, LevelGroup, LevelGrid}

var levelNames = map[Level][2]string{
	LevelCountry:    {"全国", "country"},
	LevelProvince:   {"省", "province"},
	LevelPrefecture: {"市(州)", "prefecture"},
	LevelCounty:     {"县(区)", "county"},
	LevelTown:       {"乡镇(街道)", "town"},
	LevelVillage:    {"村(社区)", "village"},
	LevelGroup:      {"村(居)民小组", "group"},
	LevelGrid:       {"网格", "grid"},
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { _, ok := levelNames[l]; return ok }

// Label returns the level's name in lang.
func (l Level) Label(lang string) string {
	n, ok := levelNames[l]
	if !ok {
		return string(l)
	}
	if lang == "zh" {
		return n[0]
	}
	return n[1]
}

// Rank is the level's depth: 0 for country, 7 for grid, -1 if unknown.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return -1
}

// allowedParents says under which levels a level may sit. Counties may sit
// directly under a province (省直辖县); grids under a group or a village.
var allowedParents = map[Level][]Level{
	LevelProvince:   {LevelCountry},
	LevelPrefecture: {LevelProvince},
	LevelCounty:     {LevelPrefecture, LevelProvince},
	LevelTown:       {LevelCounty},
	LevelVillage:    {LevelTown},
	LevelGroup:      {LevelVillage},
	LevelGrid:       {LevelGroup, LevelVillage},
}

// CanContain reports whether a place of level parent may hold a child of
// level child.
func CanContain(parent, child Level) bool {
	for _, p := range allowedParents[child] {
		if p == parent {
			return true
		}
	}
	return false
}

// Place is a node of the hierarchy: a division with a national code, or a
// local group or grid.
type Place struct {
	Code       string
	Name       string
	Level      Level
	ParentCode string // empty only for the root
	Version    int    // incremented on every change, for optimistic concurrency
	CreatedAt  time.Time
	UpdatedAt  time.Time

	Children int // number of direct children, filled by listings
}

// Label returns "name (level)" for lists.
func (p Place) Label(lang string) string { return p.Name + "（" + p.Level.Label(lang) + "）" }

// PlaceInput is what a caller supplies to create a place or import a row.
type PlaceInput struct {
	Code       string
	Name       string
	Level      Level
	ParentCode string
}

// MaxPlaceNameLen bounds place names, in characters.
const MaxPlaceNameLen = 64

// CheckPlaceName validates a place name and returns it trimmed.
func CheckPlaceName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Invalid("name", "名称不能为空", "name is required")
	case utf8.RuneCountInString(name) > MaxPlaceNameLen:
		return "", Invalid("name", "名称不能超过%d个字", "name must be at most %d characters", MaxPlaceNameLen)
	case strings.ContainsAny(name, "\r\n\t"):
		return "", Invalid("name", "名称不能包含换行或制表符", "name must not contain line breaks or tabs")
	case strings.ContainsRune(name, 0) || !utf8.ValidString(name): // PostgreSQL stores neither
		return "", Invalid("name", "名称包含无效字符", "name holds invalid characters")
	}
	return name, nil
}

// CheckPlaceCode validates a place code: 1 to 32 characters of digits,
// ASCII letters and '-'.
func CheckPlaceCode(code string) error {
	if code == "" {
		return Invalid("code", "代码不能为空", "code is required")
	}
	if len(code) > 32 {
		return Invalid("code", "代码不能超过32个字符", "code must be at most 32 characters")
	}
	for _, r := range code {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
			return Invalid("code", "代码只能包含数字、字母和“-”：%q", "code may hold only digits, letters and '-': %q", code)
		}
	}
	return nil
}

// PlaceUpdate renames or moves a place; nil fields stay as they are.
type PlaceUpdate struct {
	Name       *string
	ParentCode *string
	Version    int // the version the caller saw; 0 skips the check
}
