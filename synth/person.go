package synth

import (
	"sort"
	"time"

	"safetynet"
)

// weighted is a list of codes drawn with integer weights.
type weighted struct {
	codes []string
	cum   []int
}

func newWeighted(pairs ...any) weighted {
	var w weighted
	total := 0
	for i := 0; i < len(pairs); i += 2 {
		total += pairs[i+1].(int)
		w.codes = append(w.codes, pairs[i].(string))
		w.cum = append(w.cum, total)
	}
	return w
}

func (g *Generator) pick(w *weighted) string {
	n := g.rng.IntN(w.cum[len(w.cum)-1])
	return w.codes[sort.SearchInts(w.cum, n+1)]
}

// Schooling of adults by age group, and of young people out of school.
var (
	eduYoungOut = newWeighted("junior", 40, "senior", 30, "vocational", 25, "primary", 5)
	eduStudying = newWeighted("college", 45, "bachelor", 55)
	edu23to40   = newWeighted("primary", 8, "junior", 40, "senior", 17, "vocational", 12, "college", 13, "bachelor", 10)
	edu41to60   = newWeighted("illiterate", 3, "primary", 26, "junior", 50, "senior", 14, "vocational", 3, "college", 3, "bachelor", 1)
	edu61to75   = newWeighted("illiterate", 22, "primary", 45, "junior", 26, "senior", 6, "college", 1)
	edu76up     = newWeighted("illiterate", 52, "primary", 38, "junior", 9, "senior", 1)

	labourAdult   = newWeighted("normal", 72, "skilled", 24, "weak", 4)
	labourElderly = newWeighted("normal", 30, "weak", 58, "none", 12)

	workAdult = newWeighted("县外务工", 35, "本地务工", 25, "务农", 28, "公益性岗位", 4, "个体经营", 8)

	disabilityKinds = newWeighted("physical", 45, "hearing", 15, "visual", 12, "intellectual", 10, "mental", 10, "multiple", 5, "speech", 3)
	disabilityGrade = newWeighted("1", 10, "2", 25, "3", 30, "4", 35)

	chronicNotes = newWeighted("高血压", 30, "糖尿病", 18, "慢性支气管炎", 12, "冠心病", 12, "类风湿性关节炎", 8, "慢性胃炎", 8, "腰椎间盘突出", 7, "慢性肾病", 5)
	seriousNotes = newWeighted("恶性肿瘤", 30, "尿毒症", 15, "脑卒中后遗症", 20, "重性精神病", 8, "白血病", 5, "严重心脏病", 12, "重症肺结核", 5, "终末期肝病", 5)

	riskTypes = newWeighted("illness", 35, "disability", 18, "schooling", 12, "accident", 8, "employment", 8, "labour", 7, "disaster", 4, "business", 3, "housing", 2, "water", 1, "other", 2)
)

// fill sets the education, labour, work, health and phone of a person of
// the given age.
func (g *Generator) fill(p *safetynet.PersonInput, age int, hhPhone string) {
	switch {
	case age < 6:
		p.Education = "preschool"
	case age <= 11:
		p.Education, p.InSchool = "primary", g.chance(0.98)
	case age <= 14:
		p.Education, p.InSchool = "junior", g.chance(0.97)
	case age <= 17:
		switch r := g.rng.IntN(100); {
		case r < 55:
			p.Education, p.InSchool = "senior", true
		case r < 85:
			p.Education, p.InSchool = "vocational", true
		default:
			p.Education = "junior"
		}
	case age <= 22:
		if g.chance(0.45) {
			p.Education, p.InSchool = g.pick(&eduStudying), true
		} else {
			p.Education = g.pick(&eduYoungOut)
		}
	case age <= 40:
		p.Education = g.pick(&edu23to40)
	case age <= 60:
		p.Education = g.pick(&edu41to60)
	case age <= 75:
		p.Education = g.pick(&edu61to75)
	default:
		p.Education = g.pick(&edu76up)
	}

	switch {
	case age < 16 || p.InSchool || age >= 75:
		p.Labour = "none"
	case age < 60:
		p.Labour = g.pick(&labourAdult)
	default:
		p.Labour = g.pick(&labourElderly)
	}

	switch {
	case p.Labour == "normal" || p.Labour == "skilled":
		if age < 65 && g.chance(0.75) {
			p.Work = g.pick(&workAdult)
		} else if age >= 60 && g.chance(0.5) {
			p.Work = "务农"
		}
	case p.Labour == "weak" && age >= 60:
		if g.chance(0.45) {
			p.Work = "务农"
		}
	case p.Labour == "weak":
		if r := g.rng.IntN(10); r < 3 {
			p.Work = "公益性岗位"
		} else if r < 7 {
			p.Work = "务农"
		}
	}

	p.Health = "healthy"
	var pDisabled float64
	switch {
	case age < 18:
		pDisabled = 0.010
	case age < 60:
		pDisabled = 0.022
	case age < 75:
		pDisabled = 0.046
	default:
		pDisabled = 0.075
	}
	switch r := g.rng.Float64(); {
	case r < pDisabled:
		g.disable(p)
	case age >= 60 && r < pDisabled+0.03:
		g.ill(p, true)
	case age >= 60 && r < pDisabled+0.24:
		g.ill(p, false)
	case age < 60 && r < pDisabled+0.012:
		g.ill(p, true)
	case age >= 30 && age < 60 && r < pDisabled+0.052:
		g.ill(p, false)
	case age < 30 && r < pDisabled+0.022:
		g.ill(p, false)
	}

	if age >= 18 && age <= 65 && g.chance(0.4) {
		for {
			if p.Phone = g.mobile(); p.Phone != hhPhone {
				break
			}
		}
	}
}

// disable gives p a disability and its effect on work.
func (g *Generator) disable(p *safetynet.PersonInput) {
	p.DisabilityKind = g.pick(&disabilityKinds)
	p.DisabilityGrade = int(g.pick(&disabilityGrade)[0] - '0')
	p.Health, p.HealthNotes = "disabled", ""
	g.weaken(p, p.DisabilityGrade <= 2)
}

// ill gives p a serious or chronic illness.
func (g *Generator) ill(p *safetynet.PersonInput, serious bool) {
	if serious {
		p.Health, p.HealthNotes = "serious", g.pick(&seriousNotes)
		g.weaken(p, g.chance(0.3))
		return
	}
	p.Health, p.HealthNotes = "chronic", g.pick(&chronicNotes)
}

// weaken lowers the labour of a person able to work: lost, or else weak
// with some chance.
func (g *Generator) weaken(p *safetynet.PersonInput, lost bool) {
	if p.Labour == "none" || p.Labour == "" {
		return
	}
	switch {
	case lost:
		p.Labour, p.Work = "lost", ""
	case p.Labour != "weak" && g.chance(0.6):
		p.Labour = "weak"
		if p.Work == "县外务工" {
			p.Work = "务农"
		}
	}
}

// mobile makes an 11-digit mobile number.
func (g *Generator) mobile() string {
	var b [11]byte
	b[0] = '1'
	switch r := g.rng.IntN(100); {
	case r < 30:
		b[1] = '3'
	case r < 55:
		b[1] = '5'
	case r < 80:
		b[1] = '8'
	case r < 88:
		b[1] = '7'
	default:
		b[1] = '9'
	}
	v := g.rng.Uint64()
	for i := 2; i < len(b); i++ {
		b[i] = '0' + byte(v%10)
		v /= 10
	}
	return string(b[:])
}

// dayTime is midnight UTC of a day counted from 1970-01-01.
func dayTime(day int64) time.Time { return time.Unix(day*86400, 0).UTC() }

// ageAt is the age in whole years on day today of someone born on day
// birth.
func ageAt(birth, today int64) int {
	by, bm, bd := dayTime(birth).Date()
	ty, tm, td := dayTime(today).Date()
	age := ty - by
	if tm < bm || tm == bm && td < bd {
		age--
	}
	return age
}
