package httpserver

import (
	"strconv"

	"safetynet"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "campaign.example", ZH: "标记典型案例", EN: "typical case marked"},
		safetynet.Option{Code: "campaign.example_remove", ZH: "取消典型案例", EN: "typical case removed"})
	for k, v := range map[string][2]string{"example": {"典型案例", "typical case"}, "case": {"案件", "case"}, "household": {"家庭", "household"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	idKeys["example"] = true
}

// GoalMetric names a goal's metric.
func (p *page) GoalMetric(code string) string { return campaigns.Metrics.Label(code, p.Lang) }

// GoalStatus names a goal's status at a place.
func (p *page) GoalStatus(code string) string { return campaigns.GoalStatuses.Label(code, p.Lang) }

// GoalGroup names a goal's target group.
func (p *page) GoalGroup(code string) string {
	if code == "" {
		return ""
	}
	return safetynet.CategoryLabel(code, p.Lang)
}

// GoalTarget writes a goal's target as set: a share in per cent, a count
// per village.
func (p *page) GoalTarget(g sqlstore.GoalProgress) string {
	if g.Share {
		return campaigns.PerMille(g.Target)
	}
	return p.pick("每村 ", "") + strconv.FormatInt(g.Target, 10) + p.pick("", " per village")
}

// GoalFigure writes a place's figure: a share as "60%（3/5）", a count as
// "3 / 6" against the place's target.
func (p *page) GoalFigure(share bool, r sqlstore.GoalPlaceRow) string {
	f := r.Figure
	if share {
		return campaigns.PerMille(r.Value) + p.pick("（", " (") + strconv.FormatInt(f.Num, 10) + "/" + strconv.FormatInt(f.Den, 10) + p.pick("）", ")")
	}
	return strconv.FormatInt(f.Num, 10) + " / " + strconv.FormatInt(f.Target, 10)
}

// GoalReached writes the per mille of the target reached as a per cent.
func (p *page) GoalReached(v int64) string { return campaigns.PerMille(v) }

// goalNotice is the inbox's line of a goal reminder (kind
// campaigns.DeadlineGoal).
func (p *page) goalNotice(n sqlstore.Notification) string {
	d := n.Detail
	return p.pick("专项行动目标进度滞后：", "campaign goal behind: ") + ud(detailStr(d, "village")) + " · " + ud(detailStr(d, "goal")) +
		p.pick("，目前 ", ", now ") + detailStr(d, "value") + p.pick("，目标 ", ", target ") + detailStr(d, "target")
}
