package synth

// member is a household member while the household is being built.
type member struct {
	rel     string
	sex     byte // 'M' or 'F'
	surname string
	birth   int64 // days since 1970-01-01
	flags   uint8
}

// Member flags giving person categories that follow from the shape.
const (
	flagElderlyAlone = 1 << iota
	flagLeftBehindElderly
	flagLeftBehindChild
)

// Family shapes.
type shape int

const (
	shapeElderlyAlone shape = iota
	shapeElderlyCouple
	shapeNuclear
	shapeThreeGen
	shapeLeftBehind
	shapeSingle
	shapeSiblings
	shapeSingleParent
	shapeOther
)

// pickShape draws a family shape: shares in per mille.
func (g *Generator) pickShape() shape {
	switch r := g.rng.IntN(1000); {
	case r < 80:
		return shapeElderlyAlone
	case r < 200:
		return shapeElderlyCouple
	case r < 550:
		return shapeNuclear
	case r < 830:
		return shapeThreeGen
	case r < 890:
		return shapeLeftBehind
	case r < 940:
		return shapeSingle
	case r < 967:
		return shapeSiblings
	case r < 991:
		return shapeSingleParent
	default:
		return shapeOther
	}
}

// build fills g.ms with the members of a household of shape s, the head
// first.
func (g *Generator) build(s shape) {
	g.ms = g.ms[:0]
	switch s {
	case shapeElderlyAlone:
		g.add("head", g.sex(400), g.surname(), g.between(65, 90)).flags |= flagElderlyAlone
	case shapeElderlyCouple:
		g.couple(g.chance(0.9), g.between(65, 88), 60, 92)
	case shapeNuclear:
		father, mother := g.couple(g.chance(0.88), g.between(28, 55), 22, 70)
		g.children(father, mother, g.kidCount(), "son", "daughter", g.kidSurname(father, mother))
	case shapeThreeGen:
		if g.chance(0.5) {
			g.threeGenOld()
		} else {
			g.threeGenMiddle()
		}
	case shapeLeftBehind:
		g.leftBehind()
	case shapeSingle:
		g.add("head", g.sex(650), g.surname(), g.between(20, 60))
	case shapeSiblings:
		sur := g.surname()
		h := g.between(22, 60)
		g.add("head", g.sex(600), sur, h)
		for range 1 + g.rng.IntN(2) {
			g.add("sibling", g.sex(500), sur, clamp(h+g.between(-10, 10), 16, 75))
		}
	case shapeSingleParent:
		male := g.chance(0.35)
		sur := g.surname()
		g.add("head", sexOf(male), sur, g.between(28, 50))
		kidSur := sur
		if !male && g.chance(0.45) {
			kidSur = g.otherSurname(sur) // the absent father's
		}
		g.children(0, -1, 1+g.rng.IntN(2), "son", "daughter", kidSur)
	case shapeOther: // a couple and another relative, a nephew or niece
		g.couple(g.chance(0.85), g.between(45, 72), 40, 80)
		sur := g.ms[0].surname
		if g.ms[0].sex == 'F' || g.chance(0.5) {
			sur = g.otherSurname(sur)
		}
		g.add("other", g.sex(550), sur, g.between(5, 30))
	}
}

// add appends a member of the given age in whole years today.
func (g *Generator) add(rel string, sex byte, surname string, age int) *member {
	days := int64(age)*365 + int64(age)*2425/10000 + 1 + int64(g.rng.IntN(364))
	g.ms = append(g.ms, member{rel: rel, sex: sex, surname: surname, birth: g.todayDay - days})
	return &g.ms[len(g.ms)-1]
}

// ageOf is the age today of member i in whole years.
func (g *Generator) ageOf(i int) int { return ageAt(g.ms[i].birth, g.todayDay) }

// couple adds the head, aged h and male or not, and a spouse of the other
// sex aged lo–hi. It returns the indexes of the father and the mother.
func (g *Generator) couple(male bool, h, lo, hi int) (father, mother int) {
	s1 := g.surname()
	g.add("head", sexOf(male), s1, h)
	g.add("spouse", sexOf(!male), g.otherSurname(s1), g.spouseAge(h, male, lo, hi))
	if male {
		return 0, 1
	}
	return 1, 0
}

// spouseAge is the age of the spouse of a head aged h: a wife 3 years
// older to 8 years younger, a husband the other way round.
func (g *Generator) spouseAge(h int, headMale bool, lo, hi int) int {
	d := g.between(-3, 8)
	if headMale {
		d = -d
	}
	return clamp(h+d, lo, hi)
}

// kidCount draws the number of children of a couple: 1 to 3.
func (g *Generator) kidCount() int {
	switch r := g.rng.IntN(100); {
	case r < 45:
		return 1
	case r < 85:
		return 2
	default:
		return 3
	}
}

// kidSurname is mostly the father's surname, sometimes the mother's.
func (g *Generator) kidSurname(father, mother int) string {
	if g.chance(0.92) {
		return g.ms[father].surname
	}
	return g.ms[mother].surname
}

// children adds n children of members p1 and p2 (-1 for a single parent),
// 21 to 39 years younger than both.
func (g *Generator) children(p1, p2 int, n int, son, daughter, surname string) {
	a := g.ageOf(p1)
	b := a
	if p2 >= 0 {
		b = g.ageOf(p2)
	}
	lo, hi := max(max(a, b)-39, 0), min(a, b)-21
	if hi < lo {
		return
	}
	first := len(g.ms)
	for range n {
		sex := g.sex(515)
		rel := daughter
		if sex == 'M' {
			rel = son
		}
		g.add(rel, sex, surname, g.between(lo, hi))
	}
	g.eldestFirst(first)
}

// eldestFirst sorts the members from index first by age, the eldest first,
// as ledgers list children.
func (g *Generator) eldestFirst(first int) {
	kids := g.ms[first:]
	for i := 1; i < len(kids); i++ {
		for j := i; j > 0 && kids[j].birth < kids[j-1].birth; j-- {
			kids[j], kids[j-1] = kids[j-1], kids[j]
		}
	}
}

// threeGenOld: the head is a grandparent, living with a married son (or
// daughter) and grandchildren.
func (g *Generator) threeGenOld() {
	patriline := g.surname()
	young, old := 0, 0
	if g.chance(0.8) {
		h := g.between(52, 82)
		g.add("head", 'M', patriline, h)
		young, old = h, h
		if g.chance(0.75) {
			sp := g.spouseAge(h, true, 45, 92)
			g.add("spouse", 'F', g.otherSurname(patriline), sp)
			young, old = min(h, sp), max(h, sp)
		}
	} else { // a widow
		h := g.between(52, 85)
		g.add("head", 'F', g.otherSurname(patriline), h)
		young, old = h, h
	}
	m := g.between(max(old-39, 22), young-21)
	son := g.chance(0.8)
	mid := len(g.ms)
	if son {
		g.add("son", 'M', patriline, m)
	} else {
		g.add("daughter", 'F', patriline, m)
	}
	partner := -1
	kidSur := patriline
	if g.chance(0.88) {
		partner = len(g.ms)
		ps := g.otherSurname(patriline)
		if son {
			g.add("daughter_in_law", 'F', ps, clamp(m-g.between(-3, 6), 21, young-16))
			if g.chance(0.05) {
				kidSur = ps
			}
		} else {
			g.add("son_in_law", 'M', ps, clamp(m+g.between(-3, 6), 21, young-15))
			if g.chance(0.5) {
				kidSur = ps
			}
		}
	}
	g.children(mid, partner, g.kidCount(), "grandson", "granddaughter", kidSur)
}

// threeGenMiddle: the head is the middle generation, with spouse, children
// and one or both of the head's parents.
func (g *Generator) threeGenMiddle() {
	male := g.chance(0.9)
	h := g.between(30, 55)
	father, mother := g.couple(male, h, 22, 70)
	headSur := g.ms[0].surname
	kidSur := g.kidSurname(father, mother)
	if !male && g.chance(0.5) {
		kidSur = headSur // a son-in-law living with his wife's family
	}
	g.children(father, mother, g.kidCount(), "son", "daughter", kidSur)
	lo, hi := h+21, min(h+39, 92)
	switch r := g.rng.IntN(100); {
	case r < 50:
		f := g.between(lo, hi)
		g.add("father", 'M', headSur, f)
		g.add("mother", 'F', g.otherSurname(headSur), clamp(f-g.between(-3, 8), lo, hi))
	case r < 82:
		g.add("mother", 'F', g.otherSurname(headSur), g.between(lo, hi))
	default:
		g.add("father", 'M', headSur, g.between(lo, hi))
	}
}

// leftBehind: grandparents with grandchildren whose parents work away.
func (g *Generator) leftBehind() {
	patriline := g.surname()
	young, old := 0, 0
	if g.chance(0.6) {
		h := g.between(60, 80)
		g.add("head", 'M', patriline, h).flags |= flagLeftBehindElderly
		young, old = h, h
		if g.chance(0.78) {
			sp := g.spouseAge(h, true, 60, 90)
			g.add("spouse", 'F', g.otherSurname(patriline), sp).flags |= flagLeftBehindElderly
			young, old = min(h, sp), max(h, sp)
		}
	} else { // a widow
		h := g.between(60, 82)
		g.add("head", 'F', g.otherSurname(patriline), h).flags |= flagLeftBehindElderly
		young, old = h, h
	}
	kidSur := patriline
	if g.chance(0.25) { // a daughter's children (外孙)
		kidSur = g.otherSurname(patriline)
	}
	lo, hi := max(1, old-78), min(15, young-42)
	first := len(g.ms)
	defer g.eldestFirst(first)
	for range g.kidCount() {
		sex := g.sex(515)
		rel := "granddaughter"
		if sex == 'M' {
			rel = "grandson"
		}
		g.add(rel, sex, kidSur, g.between(lo, hi)).flags |= flagLeftBehindChild
	}
}

// sex draws 'M' with probability male per mille.
func (g *Generator) sex(male int) byte {
	return sexOf(g.rng.IntN(1000) < male)
}

func sexOf(male bool) byte {
	if male {
		return 'M'
	}
	return 'F'
}

func (g *Generator) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.IntN(hi-lo+1)
}

func (g *Generator) chance(p float64) bool { return g.rng.Float64() < p }

func clamp(x, lo, hi int) int { return max(lo, min(x, hi)) }
