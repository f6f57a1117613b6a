// Package campaigns holds the rules of campaigns (专项行动): a county or
// town's plan with a guiding document, a period, goals with measurable
// targets, work items per target group with lead, cooperating and
// implementing units, and dated stages (seed 004: mobilise; survey and
// register — 登记造册; carry out; sum up; consolidate). A concentrated
// screening (集中排查) is a campaign kind in which every household of the
// area is visited within the window by a pair of screeners.
//
// The package has no storage: sqlstore keeps campaigns and computes their
// progress from records (never from typed totals); httpserver shows them.
package campaigns
