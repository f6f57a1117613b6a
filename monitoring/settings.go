package monitoring

import "safetynet"

// Settings are the county-wide clocks and thresholds of monitoring.
type Settings struct {
	ReviewDays int // days for the democratic review after a proposal
	NoticeDays int // days for the public notice (including the notice itself)
	TownDays   int // days for the town review
	CountyDays int // days for the county confirmation
	// NoticeMinDays is the shortest public notice (公示不少于 5 天).
	NoticeMinDays int
	// AboveMonths is how long income must have stayed above the
	// monitoring line before a household looks ready for elimination.
	AboveMonths int
	// MinMonitoredMonths is the least time monitored before elimination.
	MinMonitoredMonths int
	// ReviewMonths: a monitored household with no assessment for longer
	// is overdue for review.
	ReviewMonths int
}

// DefaultSettings: the whole identification in 15 days (4 + 7 + 2 + 2),
// notices of at least 5 days, elimination looked at after 6 months above
// the line and 6 months of monitoring, reviews every 6 months.
func DefaultSettings() Settings {
	return Settings{ReviewDays: 4, NoticeDays: 7, TownDays: 2, CountyDays: 2, NoticeMinDays: 5,
		AboveMonths: 6, MinMonitoredMonths: 6, ReviewMonths: 6}
}

// Total is the days of the whole identification.
func (s Settings) Total() int { return s.ReviewDays + s.NoticeDays + s.TownDays + s.CountyDays }

// StepDays is the days a step gets; a returned process gets the review's
// days to be corrected.
func (s Settings) StepDays(step string) int {
	switch step {
	case StepNotice:
		return s.NoticeDays
	case StepTown:
		return s.TownDays
	case StepCounty:
		return s.CountyDays
	}
	return s.ReviewDays
}

// CheckSettings validates settings.
func CheckSettings(s Settings) error {
	for _, f := range []struct {
		field     string
		v, lo, hi int
		zh, en    string
	}{
		{"review_days", s.ReviewDays, 1, 60, "民主评议时限", "review days"},
		{"notice_days", s.NoticeDays, 1, 60, "公示时限", "notice days"},
		{"town_days", s.TownDays, 1, 60, "乡镇审核时限", "town days"},
		{"county_days", s.CountyDays, 1, 60, "县级确认时限", "county days"},
		{"notice_min_days", s.NoticeMinDays, 1, 30, "公示最短天数", "shortest notice"},
		{"above_months", s.AboveMonths, 1, 60, "收入稳定高于监测线的月数", "months above the line"},
		{"min_monitored_months", s.MinMonitoredMonths, 0, 120, "最短监测月数", "least months monitored"},
		{"review_months", s.ReviewMonths, 1, 60, "复核间隔月数", "months between reviews"},
	} {
		if f.v < f.lo || f.v > f.hi {
			return safetynet.Invalid(f.field, "%[1]s应在 %[2]d 到 %[3]d 之间", "%[4]s must be between %[2]d and %[3]d", f.zh, f.lo, f.hi, f.en)
		}
	}
	if s.NoticeDays < s.NoticeMinDays {
		return safetynet.Invalid("notice_days", "公示时限不能短于公示最短天数", "the notice step cannot be shorter than the shortest notice")
	}
	return nil
}
