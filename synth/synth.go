// Package synth generates synthetic households of the register for demos
// and benchmarks: families of realistic shapes with invented names, valid
// (generated) ID numbers, schooling, work, health, disabilities and the
// categories a ledger would give them.
//
// Every name is invented and every ID number comes from [idcard.Generate],
// so a number may by chance be a real person's: keep generated data away
// from anything that could reach a real person.
//
// The output is deterministic for a seed, places and today, and every
// household and person is already in the normalised form that
// [safetynet.CheckHouseholdInput] and [safetynet.CheckPersonInput] return.
package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"safetynet"
	"safetynet/idcard"
)

// Place is where generated households live.
type Place struct {
	Code, Name string
	County     string // 6-digit county code, the ID numbers' region
}

// DefaultPlace is used when New is given no places: 富源县胜境街道腰站社区
// of the demo data.
var DefaultPlace = Place{Code: "530325002009", Name: "腰站社区居民委员会", County: "530325"}

// Generator makes households; deterministic for a given seed. A Generator
// is not safe for concurrent use.
type Generator struct {
	rng      *rand.Rand
	places   []*placeState // a place listed twice is one state: a place's household numbers never repeat
	cursor   int
	today    time.Time // the calendar date of today, midnight UTC
	todayDay int64     // days since 1970-01-01
	row      int
	ids      map[uint64]struct{} // first 17 digits of every ID number made
	ms       []member
}

type placeState struct {
	Place
	street     string // the name without 居民委员会 etc., for addresses
	households int    // households made, for the household number
	house      int    // the last house number
}

// New returns a generator of households in places (DefaultPlace if none;
// a place listed n times gets about n times the households),
// with ages, dates and ID numbers as of the calendar date of today.
// It panics if a place has no code or its County is not a valid region
// code for ID numbers.
func New(seed uint64, places []Place, today time.Time) *Generator {
	if len(places) == 0 {
		places = []Place{DefaultPlace}
	}
	y, m, d := today.Date()
	t0 := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	g := &Generator{
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		today:    t0,
		todayDay: t0.Unix() / 86400,
		row:      2, // row 1 is the header
		ids:      map[uint64]struct{}{},
	}
	probe := rand.New(rand.NewPCG(1, 2))
	byCode := map[string]*placeState{}
	for _, p := range places {
		if p.Code == "" {
			panic("synth.New: a place has no code")
		}
		st, ok := byCode[p.Code]
		if !ok {
			idcard.Generate(probe, p.County, t0, idcard.Male) // panics on a bad region
			st = &placeState{Place: p, street: placeStreet(p.Name)}
			byCode[p.Code] = st
		}
		g.places = append(g.places, st) // listing a place again gives it more households
	}
	return g
}

// Batch returns n households.
func (g *Generator) Batch(n int) []safetynet.LedgerHousehold {
	out := make([]safetynet.LedgerHousehold, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

// pickPlace goes round the places, now and then jumping to a random one so
// that places get uneven numbers of households.
func (g *Generator) pickPlace() *placeState {
	i := g.cursor
	if len(g.places) > 1 && g.rng.IntN(4) == 0 {
		i = g.rng.IntN(len(g.places))
	} else {
		g.cursor = (g.cursor + 1) % len(g.places)
	}
	return g.places[i]
}

// Next returns the next household (never the same ID number twice in one
// Generator).
func (g *Generator) Next() safetynet.LedgerHousehold {
	pl := g.pickPlace()
	s := g.pickShape()
	g.build(s)

	// Household categories.
	var tuopin, tekun, dibao bool
	var monitor, risk string
	switch s {
	case shapeElderlyAlone:
		tekun = g.chance(0.10)
	case shapeSingle:
		tekun = g.chance(0.04)
	}
	tuopin = g.chance(0.20)
	if tuopin && g.chance(0.08) {
		monitor = safetynet.CatMonitorUnstable
	} else if !tuopin && g.chance(0.03) {
		monitor = safetynet.CatMonitorMarginal
		if g.chance(0.3) {
			monitor = safetynet.CatMonitorSudden
		}
	}
	if monitor != "" {
		risk = g.pick(&riskTypes)
	}
	if !tekun {
		switch {
		case monitor != "":
			dibao = g.chance(0.30)
		case tuopin:
			dibao = g.chance(0.12)
		default:
			dibao = g.chance(0.033)
		}
	}

	// The household.
	pl.households++
	pl.house += 1 + g.rng.IntN(3)
	h := safetynet.HouseholdInput{
		Number:     pl.Code + "-" + pad4(pl.households),
		PlaceCode:  pl.Code,
		Address:    pl.street + strconv.Itoa(pl.house) + "号",
		IncomeYear: g.today.Year() - 1,
		Housing:    "safe",
		Water:      "safe",
	}
	if g.chance(0.9) {
		h.Phone = g.mobile()
	}
	var yuan int
	switch {
	case monitor != "":
		yuan = g.between(3000, 9000)
	case dibao || tekun:
		yuan = g.between(4000, 10000)
	case tuopin:
		yuan = g.between(6000, 22000)
	default:
		u := g.rng.Float64()
		yuan = 4000 + int(26000*u*math.Sqrt(u))
	}
	h.IncomeFen = int64(yuan)*100 + int64(g.rng.IntN(100))
	switch r := g.rng.IntN(1000); {
	case r < 5:
		h.Housing = "d_level"
	case r < 25:
		h.Housing = "c_level"
	}
	if g.rng.IntN(100) == 0 {
		h.Water = "insufficient"
	}

	// The members.
	members := make([]safetynet.LedgerPerson, len(g.ms))
	for i := range g.ms {
		m := &g.ms[i]
		p := &members[i].Person
		infant := g.todayDay-m.birth < 366
		if g.rng.IntN(1000) >= 1 && (!infant || g.rng.IntN(100) >= 10) {
			p.IDNumber = g.idNumber(pl.County, m) // may move the birth a day
		}
		p.Birth, p.Sex = dayTime(m.birth), string(m.sex)
		p.Name = g.name(m.surname, m.sex, p.Birth.Year())
		p.Relation = m.rel
		g.fill(p, ageAt(m.birth, g.todayDay), h.Phone)
	}
	if tekun && s == shapeSingle { // unable to work and without support
		p := &members[0].Person
		if p.DisabilityKind == "" {
			g.disable(p)
		}
		p.DisabilityGrade = min(p.DisabilityGrade, 2)
		g.weaken(p, true)
	}
	switch risk {
	case "illness":
		i := g.rng.IntN(len(members))
		if p := &members[i].Person; p.DisabilityKind == "" {
			g.ill(p, g.chance(0.55))
		}
	case "disability":
		disabled := false
		for i := range members {
			disabled = disabled || members[i].Person.DisabilityKind != ""
		}
		if !disabled {
			g.disable(&members[g.rng.IntN(len(members))].Person)
		}
	case "housing":
		h.Housing = "c_level"
		if g.chance(0.3) {
			h.Housing = "d_level"
		}
	case "disaster":
		if g.chance(0.3) {
			h.Housing = "c_level"
		}
	case "water":
		h.Water = "insufficient"
	}

	// Household categories, then person categories and rows.
	var cats []safetynet.NewAssignment
	if tuopin {
		cats = append(cats, safetynet.NewAssignment{Category: "tuopin", Start: g.start(0)})
	}
	if monitor != "" {
		start := g.start(0)
		cats = append(cats,
			safetynet.NewAssignment{Category: monitor, RiskType: risk, Start: start},
			safetynet.NewAssignment{Category: safetynet.CatRisk, RiskType: risk, Start: start})
	}
	var dibaoStart time.Time
	if dibao {
		dibaoStart = g.start(0)
		cats = append(cats, safetynet.NewAssignment{Category: "dibao", Start: dibaoStart})
	}
	var tekunStart time.Time
	if tekun {
		tekunStart = g.start(0)
		cats = append(cats, safetynet.NewAssignment{Category: "tekun", Start: tekunStart})
	}
	if !tuopin && monitor == "" && !dibao && !tekun {
		cats = append(cats, safetynet.NewAssignment{Category: "ordinary", Start: g.start(0)})
	}
	switch s {
	case shapeLeftBehind:
		cats = append(cats, safetynet.NewAssignment{Category: "grandparent_headed", Start: g.start(0)})
	case shapeSingleParent:
		cats = append(cats, safetynet.NewAssignment{Category: "single_parent", Start: g.start(0)})
	}
	dibaoPerson := -1
	if dibao {
		dibaoPerson = g.rng.IntN(len(members)) // at least one recipient
	}
	for i := range members {
		lp := &members[i]
		lp.Row = g.row
		g.row++
		m, p := &g.ms[i], &lp.Person
		add := func(cat string, start time.Time) {
			if b := dayTime(m.birth); start.Before(b) {
				start = b
			}
			lp.Categories = append(lp.Categories, safetynet.NewAssignment{Category: cat, Start: start})
		}
		if m.flags&flagElderlyAlone != 0 {
			add(safetynet.CatElderlyAlone, g.start(m.birth))
		}
		if m.flags&flagLeftBehindElderly != 0 {
			add("left_behind_elderly", g.start(m.birth))
		}
		if m.flags&flagLeftBehindChild != 0 {
			add("left_behind_child", g.start(m.birth))
		}
		if p.DisabilityKind != "" {
			add("disabled", g.start(m.birth))
		}
		if p.Health == "serious" {
			add("serious_illness", g.start(m.birth))
		}
		if dibao && (i == dibaoPerson || g.chance(0.45)) {
			add("dibao_person", dibaoStart)
		}
		if tekun && i == 0 {
			add("tekun_person", tekunStart)
		}
	}
	return safetynet.LedgerHousehold{
		Row:        members[0].Row,
		Key:        "number:" + h.Number,
		Household:  h,
		Categories: cats,
		Members:    members,
	}
}

// start is a start date 1 to 5 years ago, and not before day notBefore.
func (g *Generator) start(notBefore int64) time.Time {
	d := max(g.todayDay-int64(g.between(365, 5*365)), notBefore)
	return dayTime(d)
}

// idNumber makes an ID number never made before by this generator. If the
// person's birth date has no free number left, the person is made a day
// older.
func (g *Generator) idNumber(county string, m *member) string {
	for {
		birth := dayTime(m.birth)
		for range 8 {
			id := idcard.Generate(g.rng, county, birth, idcard.Sex(m.sex))
			k := idKey(id)
			if _, dup := g.ids[k]; !dup {
				g.ids[k] = struct{}{}
				return id
			}
		}
		m.birth--
	}
}

// idKey packs the first 17 digits of an ID number.
func idKey(id string) uint64 {
	var k uint64
	for i := range 17 {
		k = k*10 + uint64(id[i]-'0')
	}
	return k
}

// pad4 formats n with at least 4 digits.
func pad4(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 4 {
		s = "0000"[len(s):] + s
	}
	return s
}
