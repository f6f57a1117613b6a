// Package monitoring holds the decisions of the monitoring cycle of the
// national mechanism against falling back into poverty: inclusion into
// monitoring (纳入监测) and risk elimination (风险消除).
//
// Both are one chain of steps, each answered by one level:
//
//	propose (village) → democratic review 民主评议 (village) → public notice 公示 (village)
//	  → town review 乡镇审核 (town) → county confirmation 县级确认 (county)
//
// A democratic review that does not pass, or a notice whose objection is
// upheld, ends the process (rejected). The town or the county may return
// the process to the village with a reason; the village corrects the
// proposal and resubmits it to the town, which reviews it again.
// Confirmation of an inclusion gives the household the proposed
// monitored category from the confirmation date; confirmation of an
// elimination ends that category with the reason 风险消除; the household
// stays in the register with its history either way.
//
// Each open step carries a deadline on the relay's clocks (kind
// "monitoring.<step>", escalated grid → village → town → county like any
// relay step). The whole identification is due within Settings.Total()
// days (15 by default), split per step.
//
// Readiness for elimination is a documented Go decision (Ready) rather
// than a CEL rule: it looks at the history of income assessments and the
// dates of monitoring, which the rules' household schema does not carry.
package monitoring
