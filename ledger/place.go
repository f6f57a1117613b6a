package ledger

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"safetynet"
)

// Place is a place a ledger row may belong to.
type Place struct {
	Code  string
	Name  string
	Level safetynet.Level
	Path  []string // names from the importer's scope root down to this place, inclusive
}

// PlaceIndex finds places by the names ledgers write. It is safe for
// concurrent use.
type PlaceIndex struct {
	places   []Place
	variants [][][]string     // per place, per Path element: its normalised spellings
	byName   map[string][]int // spelling of a target's own name → places
	codes    map[string]bool

	mu    sync.Mutex
	cache map[string]resolved
}

type resolved struct {
	code       string
	candidates []string
}

// Suffixes of official names, which ledgers often leave out or change.
var (
	villageSuffixes = []string{"社区居民委员会", "村民委员会", "居民委员会", "社区居委会", "村委会", "居委会", "社区", "村"}
	groupSuffixes   = []string{"居民小组", "村民小组", "小组", "组", "社", "队"}
	gridSuffixes    = []string{"网格"}
	upperSuffixes   = []string{"街道办事处", "街道", "镇", "乡", "县", "区", "市", "旗", "州", "盟", "省"}
	anySuffixes     = concat(villageSuffixes, groupSuffixes, gridSuffixes, upperSuffixes)
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

func suffixesOf(l safetynet.Level) []string {
	switch l {
	case safetynet.LevelVillage:
		return villageSuffixes
	case safetynet.LevelGroup:
		return groupSuffixes
	case safetynet.LevelGrid:
		return gridSuffixes
	}
	return anySuffixes
}

// NewPlaceIndex indexes places. Only villages, groups and grids are
// targets of Resolve; other places may be listed for their codes.
func NewPlaceIndex(places []Place) *PlaceIndex {
	ix := &PlaceIndex{byName: map[string][]int{}, codes: map[string]bool{}, cache: map[string]resolved{}}
	for _, p := range places {
		ix.codes[p.Code] = true
		switch p.Level {
		case safetynet.LevelVillage, safetynet.LevelGroup, safetynet.LevelGrid:
		default:
			continue
		}
		path := append([]string(nil), p.Path...)
		if len(path) == 0 || path[len(path)-1] != p.Name {
			path = append(path, p.Name)
		}
		p.Path = path
		vs := make([][]string, len(path))
		for i, name := range path[:len(path)-1] {
			vs[i] = spellings(name, anySuffixes)
		}
		own := spellings(p.Name, suffixesOf(p.Level))
		vs[len(path)-1] = own
		i := len(ix.places)
		ix.places = append(ix.places, p)
		ix.variants = append(ix.variants, vs)
		for _, v := range own {
			ix.byName[v] = append(ix.byName[v], i)
		}
	}
	return ix
}

// has reports whether code is one of the indexed places.
func (ix *PlaceIndex) has(code string) bool { return ix != nil && ix.codes[code] }

// Resolve finds the village, group or grid that text names. text may name
// the place alone ("棠梨湾组", "棠梨湾"), or with its village or other
// ancestors before it ("腰站社区棠梨湾组", "腰站 棠梨湾"), with or without
// the suffixes of official names, and may start with names above the
// importer's scope ("某某县某某镇"). The match naming the most places of
// a path wins; among equal matches, the deepest wins if the others are its
// ancestors; otherwise the text is ambiguous and candidates lists up to
// three of the places it could mean. A place code is accepted as well.
func (ix *PlaceIndex) Resolve(text string) (code string, candidates []string, ok bool) {
	if ix == nil {
		return "", nil, false
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil, false
	}
	ix.mu.Lock()
	r, hit := ix.cache[text]
	ix.mu.Unlock()
	if !hit {
		r = ix.resolve(text)
		ix.mu.Lock()
		if len(ix.cache) < 100_000 {
			ix.cache[text] = r
		}
		ix.mu.Unlock()
	}
	return r.code, r.candidates, r.code != ""
}

func (ix *PlaceIndex) resolve(text string) resolved {
	if ix.codes[text] {
		for _, p := range ix.places {
			if p.Code == text {
				return resolved{code: text}
			}
		}
	}
	t := normPlace(text)
	best, found := 0, []int{}
	for i := range t {
		for _, pi := range ix.byName[t[i:]] {
			vs := ix.variants[pi]
			n, ok := matchAncestors(t[:i], vs[:len(vs)-1])
			if !ok {
				continue
			}
			switch {
			case n+1 > best:
				best, found = n+1, []int{pi}
			case n+1 == best && !slices.Contains(found, pi):
				found = append(found, pi)
			}
		}
	}
	switch len(found) {
	case 0:
		return resolved{}
	case 1:
		return resolved{code: ix.places[found[0]].Code}
	}
	if deepest := ix.deepest(found); deepest >= 0 {
		return resolved{code: ix.places[deepest].Code}
	}
	var labels []string
	for _, pi := range found {
		labels = append(labels, label(ix.places[pi].Path))
	}
	sort.Strings(labels)
	return resolved{candidates: labels[:min(3, len(labels))]}
}

// deepest returns the place of found whose ancestors are all the others,
// or -1.
func (ix *PlaceIndex) deepest(found []int) int {
	for _, c := range found {
		cp := ix.places[c].Path
		all := true
		for _, o := range found {
			op := ix.places[o].Path
			if o != c && !(len(op) < len(cp) && slices.Equal(op, cp[:len(op)])) {
				all = false
				break
			}
		}
		if all {
			return c
		}
	}
	return -1
}

// matchAncestors reports whether rest is a sequence of spellings of
// ancestors, in order, with perhaps higher names before them, and how many
// ancestors it names.
func matchAncestors(rest string, anc [][]string) (int, bool) {
	if rest == "" {
		return 0, true
	}
	best := -1
	for k := len(anc) - 1; k >= 0; k-- {
		for _, v := range anc[k] {
			if strings.HasSuffix(rest, v) {
				if n, ok := matchAncestors(rest[:len(rest)-len(v)], anc[:k]); ok && n+1 > best {
					best = n + 1
				}
			}
		}
	}
	if best >= 0 {
		return best, true
	}
	for _, s := range upperSuffixes {
		if strings.HasSuffix(rest, s) {
			return 0, true
		}
	}
	return 0, false
}

// spellings lists the normalised ways a name may be written: as is, with
// its suffixes stripped one after another, and its core with each suffix.
// A core must keep two characters, or be a number such as the 1 of 1组.
func spellings(name string, suffixes []string) []string {
	n := normPlace(name)
	set := map[string]bool{n: true}
	core := n
	var strip func(s string)
	strip = func(s string) {
		for _, suf := range suffixes {
			rest, ok := strings.CutSuffix(s, suf)
			if !ok || set[rest] || !(utf8.RuneCountInString(rest) >= 2 || rest != "" && allDigits(rest)) {
				continue
			}
			set[rest] = true
			if len(rest) < len(core) {
				core = rest
			}
			strip(rest)
		}
	}
	strip(n)
	for _, suf := range suffixes {
		set[core+suf] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		if s != "" {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}

func label(path []string) string {
	if len(path) >= 3 {
		path = path[1:]
	}
	return strings.Join(path, "/")
}
