package rules

import (
	"context"
	"errors"
	"strings"

	"safetynet"
)

// Risk colours (风险颜色, 红黄绿) of monitored households. Each county has
// a red rule and a yellow rule, CEL over h like every rule: a monitored
// household is red when the red rule holds, else yellow when the yellow
// rule holds, else green (stable). A household that is not monitored has
// no colour. A rule that fails on a household makes it red, with the
// error as the reason: a failing rule must be looked at, never read as
// stable. An unknown answer (a missing value) does not hold.
const (
	ColourRed    = "red"
	ColourYellow = "yellow"
	ColourGreen  = "green"
)

// Colour names a colour in both languages.
type Colour struct {
	Code, ZH, EN string
}

// Colours are the colours, most urgent first.
var Colours = []Colour{
	{ColourRed, "红", "red"},
	{ColourYellow, "黄", "yellow"},
	{ColourGreen, "绿", "green"},
}

// ValidColour reports whether code names a colour.
func ValidColour(code string) bool {
	for _, c := range Colours {
		if c.Code == code {
			return true
		}
	}
	return false
}

// ColourLabel is the colour's label in lang ("zh" or "en"); "" for no colour.
func ColourLabel(code, lang string) string {
	for _, c := range Colours {
		if c.Code == code {
			if lang == "zh" {
				return c.ZH
			}
			return c.EN
		}
	}
	return ""
}

// The default colour rules, in force in a county until it publishes its
// own (version 0). Red: an unresolved risk without any measure in force,
// or a step of the relay past its deadline. Yellow: measures in force or
// a case still open — help is on its way, the risk is not eliminated yet.
const (
	DefaultRedRule    = `size(h.open_risks) > 0 && size(h.measures) == 0 || h.overdue_steps > 0`
	DefaultYellowRule = `size(h.measures) > 0 || h.open_cases > 0`
)

// ColourRules are a county's compiled colour rules and their version
// (0 for the defaults).
type ColourRules struct {
	Version     int
	Red, Yellow *Program
}

// ColourResult is a household's colour with the reason, "" when the
// household is not monitored.
type ColourResult struct {
	Colour string
	ZH, EN string
}

// DecideColour gives h its colour under cr and params.
func DecideColour(ctx context.Context, cr ColourRules, params Params, h *Household) ColourResult {
	if !h.Monitored {
		return ColourResult{}
	}
	for _, step := range []struct {
		colour         string
		prog           *Program
		failZH, failEN string
	}{
		{colour: ColourRed, prog: cr.Red, failZH: "红色规则计算出错：", failEN: "the red rule failed: "},
		{colour: ColourYellow, prog: cr.Yellow, failZH: "黄色规则计算出错：", failEN: "the yellow rule failed: "},
	} {
		if step.prog == nil {
			return ColourResult{Colour: ColourRed, ZH: step.failZH + "规则无法编译，请重新发布", EN: step.failEN + "it does not compile: publish it again"}
		}
		ex := step.prog.Explain(ctx, params, h)
		if err := ex.Result.Err; err != nil {
			zh, en := err.Error(), err.Error()
			var ee *EvalError
			if errors.As(err, &ee) {
				zh, en = ee.ZH, ee.EN
			}
			return ColourResult{Colour: ColourRed, ZH: step.failZH + zh, EN: step.failEN + en}
		}
		if ex.Result.Matched {
			zh, en := ex.ZH(), ex.EN()
			if len(h.OpenRisks) > 0 { // say what the risks are, not only how many
				zh += "；未解决风险：" + strings.Join(h.OpenRisks, "、")
				en += "; open risks: " + strings.Join(risksEN(h.OpenRisks), ", ")
			}
			return ColourResult{Colour: step.colour, ZH: zh, EN: en}
		}
	}
	return ColourResult{Colour: ColourGreen, ZH: "红色、黄色条件均不成立：情况稳定", EN: "neither the red nor the yellow condition holds: stable"}
}

// AffectsColour reports whether a step of the relay, named by its work
// event kind, may change a household's colour: a clue reported, linked
// or verified (closed or turned into a case), a case opened, closed or
// reopened, emergency help given. The storage layer queues the household
// in the transaction of such a step; decisions on measures are queued
// already (AffectsScreening).
func AffectsColour(kind string) bool {
	switch kind {
	case "clue.report", "clue.link", "clue.verify", "case.open", "case.close", "case.reopen", "case.emergency":
		return true
	}
	return false
}

// risksEN gives the English labels of open risks (Chinese labels of clue
// kinds and risk types).
func risksEN(zh []string) []string {
	out := make([]string, len(zh))
	for i, l := range zh {
		out[i] = l
		for _, v := range []safetynet.Vocab{safetynet.ClueKinds, safetynet.RiskTypes} {
			for _, o := range v {
				if o.ZH == l {
					out[i] = o.EN
				}
			}
		}
	}
	return out
}
