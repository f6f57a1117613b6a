package synth

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// surnameWeights are common surnames with their approximate share of the
// population in units of 0.01 %, the most frequent first.
var surnameWeights = []struct {
	name   string
	weight int
}{
	{"王", 710}, {"李", 700}, {"张", 670}, {"刘", 540}, {"陈", 460},
	{"杨", 310}, {"黄", 240}, {"赵", 230}, {"吴", 200}, {"周", 190},
	{"徐", 150}, {"孙", 150}, {"马", 130}, {"朱", 130}, {"胡", 120},
	{"郭", 115}, {"何", 110}, {"林", 100}, {"高", 100}, {"罗", 90},
	{"郑", 85}, {"梁", 80}, {"谢", 70}, {"宋", 65}, {"唐", 63},
	{"许", 60}, {"韩", 58}, {"邓", 56}, {"冯", 55}, {"曹", 53},
	{"彭", 52}, {"曾", 50}, {"肖", 48}, {"田", 47}, {"董", 46},
	{"潘", 44}, {"袁", 43}, {"蔡", 42}, {"蒋", 41}, {"余", 40},
	{"于", 40}, {"杜", 39}, {"叶", 38}, {"程", 37}, {"魏", 36},
	{"苏", 35}, {"吕", 34}, {"丁", 33}, {"任", 33}, {"卢", 32},
	{"姚", 31}, {"沈", 30}, {"钟", 30}, {"姜", 29}, {"崔", 28},
	{"谭", 27}, {"陆", 27}, {"范", 26}, {"汪", 25}, {"廖", 25},
	{"石", 24}, {"金", 23}, {"韦", 22}, {"贾", 22}, {"夏", 21},
	{"付", 21}, {"方", 20}, {"邹", 19}, {"熊", 19}, {"白", 18},
	{"孟", 18}, {"秦", 17}, {"邱", 17}, {"侯", 16}, {"江", 16},
	{"尹", 15}, {"薛", 15}, {"闫", 14}, {"段", 14}, {"雷", 14},
	{"龙", 13}, {"黎", 13}, {"史", 13}, {"陶", 12}, {"贺", 12},
	{"毛", 12}, {"郝", 11}, {"顾", 11}, {"龚", 11}, {"邵", 10},
	{"万", 10}, {"覃", 10}, {"武", 10}, {"钱", 10}, {"戴", 10},
	{"严", 9}, {"莫", 9}, {"孔", 9}, {"向", 9}, {"常", 8},
	{"汤", 8}, {"康", 8}, {"易", 8}, {"乔", 7}, {"赖", 7},
	{"文", 7}, {"施", 7}, {"洪", 7}, {"欧阳", 4}, {"上官", 1},
}

// surnames and surnameCum (running totals of the weights) draw a surname.
var (
	surnames   []string
	surnameCum []int
)

func init() {
	total := 0
	for _, s := range surnameWeights {
		total += s.weight
		surnames = append(surnames, s.name)
		surnameCum = append(surnameCum, total)
	}
}

// Characters of given names by sex and birth cohort: born before 1965,
// 1965–1994, and 1995 or later. A one-character given name, and the second
// character of a two-character one, come from last; the first from first.
type pool struct{ first, last []string }

var (
	maleOld     = pool{chars("德福贵有春国富荣明文金忠学志永正光成庆兴顺建长家树"), chars("福贵发财生华林山清海云祥昌全友明才荣喜田")}
	maleMid     = pool{chars("建国海志文永红晓俊明立小春东振伟浩家金"), chars("伟强军磊勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国海峰亮东兵毅")}
	maleYoung   = pool{chars("子梓浩宇俊睿博泽一皓奕晨天逸嘉明思雨"), chars("轩宇浩涛杰航瑞铭哲凯鑫宸然阳博睿辰霖晨")}
	femaleOld   = pool{chars("秀桂凤玉翠淑素春菊美金彩兰"), chars("英兰芬珍花梅莲琼芳云华香荣娥秀")}
	femaleMid   = pool{chars("秀丽晓春海红美玉小雪慧静彩金桂"), chars("芳娜敏静丽艳娟霞英玲兰燕萍红梅琳婷雪慧莉倩颖洁佳丹晶")}
	femaleYoung = pool{chars("欣雨思可诗梓子佳雅语嘉一若安梦紫"), chars("怡萱彤馨涵悦琪婷颖晨妍琳瑶菲欣雪")}
)

func chars(s string) []string {
	out := make([]string, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// surname draws a surname weighted by frequency.
func (g *Generator) surname() string {
	n := g.rng.IntN(surnameCum[len(surnameCum)-1])
	return surnames[sort.SearchInts(surnameCum, n+1)]
}

// otherSurname draws a surname, usually different from s.
func (g *Generator) otherSurname(s string) string {
	for range 3 {
		if o := g.surname(); o != s {
			return o
		}
	}
	return g.surname()
}

// name makes a full name: the surname and a given name of one character
// (about a quarter of names) or two, from the pool of the sex and cohort.
func (g *Generator) name(surname string, sex byte, birthYear int) string {
	var p *pool
	switch {
	case sex == 'M' && birthYear < 1965:
		p = &maleOld
	case sex == 'M' && birthYear < 1995:
		p = &maleMid
	case sex == 'M':
		p = &maleYoung
	case birthYear < 1965:
		p = &femaleOld
	case birthYear < 1995:
		p = &femaleMid
	default:
		p = &femaleYoung
	}
	b := p.last[g.rng.IntN(len(p.last))]
	if g.rng.IntN(100) < 25 {
		return surname + b
	}
	if sex == 'F' && birthYear >= 1980 && g.rng.IntN(100) < 5 {
		return surname + b + b // 婷婷, 琪琪
	}
	a := p.first[g.rng.IntN(len(p.first))]
	if a == b {
		a = p.first[g.rng.IntN(len(p.first))]
	}
	return surname + a + b
}

// placeStreet is the place name without the suffix of a residents' or
// villagers' committee, as addresses write it.
func placeStreet(name string) string {
	for _, suf := range []string{"居民委员会", "村民委员会", "村委会", "居委会"} {
		if s, ok := strings.CutSuffix(name, suf); ok && s != "" {
			return s
		}
	}
	return name
}
