package rules

import (
	"context"
	"fmt"
)

// Share is how many households of a sample a rule matched.
type Share struct {
	Sample, Matched, Missing, Errors int
}

// Fraction is the share of the sample matched (0 for an empty sample).
func (s Share) Fraction() float64 {
	if s.Sample == 0 {
		return 0
	}
	return float64(s.Matched) / float64(s.Sample)
}

// Warning is a loud warning about a rule, in Chinese and English.
type Warning struct {
	Code   string // "matches_all", "matches_none", "errors"
	ZH, EN string
}

// Thresholds of the sanity check: a rule matching at least High of the
// sample, or at most Low, is suspect (OpenSPP #955: a bug matched all).
type Thresholds struct {
	High, Low float64
	MaxErrors float64 // share of households failing
}

// DefaultThresholds warn above 95 %, at 0 matches, and above 1 % errors.
var DefaultThresholds = Thresholds{High: 0.95, Low: 0, MaxErrors: 0.01}

// ShareOf evaluates p over the sample and counts the answers.
func ShareOf(ctx context.Context, p *Program, params Params, sample []Household) Share {
	s := Share{Sample: len(sample)}
	for _, r := range EvaluateAll(ctx, p, params, sample) {
		switch {
		case r.Err != nil:
			s.Errors++
		case r.Matched:
			s.Matched++
		case len(r.Missing) > 0:
			s.Missing++
		}
	}
	return s
}

// Warnings returns the warnings the share deserves under t.
func (s Share) Warnings(t Thresholds) []Warning {
	var out []Warning
	if s.Sample == 0 {
		return nil
	}
	pct := 100 * s.Fraction()
	if s.Fraction() >= t.High {
		out = append(out, Warning{"matches_all",
			fmt.Sprintf("该规则符合样本中 %d 户中的 %d 户（%.1f%%），几乎所有户都符合，请检查规则是否写错", s.Sample, s.Matched, pct),
			fmt.Sprintf("the rule matches %d of %d sampled households (%.1f%%): almost every household; check the rule", s.Matched, s.Sample, pct)})
	}
	if s.Fraction() <= t.Low {
		out = append(out, Warning{"matches_none",
			fmt.Sprintf("该规则符合样本中 %d 户中的 %d 户（%.1f%%），几乎没有户符合，请检查规则是否写错", s.Sample, s.Matched, pct),
			fmt.Sprintf("the rule matches %d of %d sampled households (%.1f%%): almost none; check the rule", s.Matched, s.Sample, pct)})
	}
	if float64(s.Errors) > t.MaxErrors*float64(s.Sample) {
		out = append(out, Warning{"errors",
			fmt.Sprintf("该规则在 %d 户上运行出错", s.Errors),
			fmt.Sprintf("the rule failed on %d households", s.Errors)})
	}
	return out
}
