package feeds

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Place is a town or village of the batch's county, as the locator needs it.
type Place struct {
	Code, Name string
	Level      string // "town" or "village"
	Town       string // a village's town code
}

// Locator finds the best known place of a person who is not in the
// register: the village (or, failing that, the town) the department's
// address names within the batch's county; else the county of the ID
// number's region code when that county is known; else the batch's county.
type Locator struct {
	County          string            // the batch's county
	Counties        map[string]bool   // county codes known to the place tree
	villages, towns []Place           // longest names first
	townName        map[string]string // town code → name
	mu              sync.Mutex
	seen            map[[2]string]string // addresses repeat: each is located once
}

// NewLocator builds a locator for county from its towns and villages.
func NewLocator(county string, places []Place, counties map[string]bool) *Locator {
	l := &Locator{County: county, Counties: counties, townName: map[string]string{}, seen: map[[2]string]string{}}
	for _, p := range places {
		switch p.Level {
		case "village":
			l.villages = append(l.villages, p)
		case "town":
			l.towns = append(l.towns, p)
			l.townName[p.Code] = p.Name
		}
	}
	longest := func(ps []Place) {
		sort.SliceStable(ps, func(i, j int) bool {
			return utf8.RuneCountInString(ps[i].Name) > utf8.RuneCountInString(ps[j].Name)
		})
	}
	longest(l.villages)
	longest(l.towns)
	return l
}

// Locate returns the place code for an address and an ID number's
// region. It is safe for concurrent use.
func (l *Locator) Locate(address, region string) string {
	k := [2]string{address, region}
	l.mu.Lock()
	code, ok := l.seen[k]
	l.mu.Unlock()
	if ok {
		return code
	}
	code = l.locate(address, region)
	l.mu.Lock()
	l.seen[k] = code
	l.mu.Unlock()
	return code
}

func (l *Locator) locate(address, region string) string {
	addr := strings.Join(strings.Fields(address), "")
	if addr != "" {
		town := ""
		for _, t := range l.towns {
			if names(t.Name, addr) {
				town = t.Code
				break
			}
		}
		// A village named in the address; when two villages share the
		// name, the one in the town the address names.
		var found []Place
		for _, v := range l.villages {
			if names(v.Name, addr) {
				if len(found) > 0 && utf8.RuneCountInString(v.Name) < utf8.RuneCountInString(found[0].Name) {
					break
				}
				found = append(found, v)
			}
		}
		for _, v := range found {
			if len(found) == 1 || v.Town == town {
				return v.Code
			}
		}
		if town != "" {
			return town
		}
	}
	if len(region) == 6 && l.Counties[region] {
		return region
	}
	return l.County
}

// names reports whether addr names the place called name: in full, without
// its committee (腰站社区 for 腰站社区居民委员会), or without its kind when a
// place word follows and at least two characters remain (腰站村 for
// 腰站社区, 胜境镇 for 胜境街道).
func names(name, addr string) bool {
	if name == "" {
		return false
	}
	if strings.Contains(addr, name) {
		return true
	}
	for _, committee := range []string{"村民委员会", "居民委员会", "村委会", "居委会"} {
		if short, ok := strings.CutSuffix(name, committee); ok && utf8.RuneCountInString(short) >= 2 {
			if strings.Contains(addr, short) {
				return true
			}
			name = short
			break
		}
	}
	for _, kind := range []string{"社区", "街道", "行政村", "村", "乡", "镇"} {
		if short, ok := strings.CutSuffix(name, kind); ok && utf8.RuneCountInString(short) >= 2 {
			for _, next := range []string{"村", "社区", "街道", "乡", "镇", "居委会"} {
				if strings.Contains(addr, short+next) {
					return true
				}
			}
			return false
		}
	}
	return false
}
