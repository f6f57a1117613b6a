package access

import "safetynet"

// Permissions of the monitoring cycle (纳入监测 and 风险消除): who answers
// which step (see package monitoring).
const (
	MonitoringView    Permission = "monitoring.view"    // processes, monitored households, the ready and overdue lists, exports
	MonitoringPropose Permission = "monitoring.propose" // propose inclusion or elimination, resubmit, withdraw (village)
	MonitoringRecord  Permission = "monitoring.record"  // democratic review, public notice, income reviews (village)
	MonitoringReview  Permission = "monitoring.review"  // the town's review
	MonitoringConfirm Permission = "monitoring.confirm" // the county's confirmation
)

func init() {
	add := func(r safetynet.Role, ps ...Permission) { grants[r] = append(grants[r], ps...) }
	add(safetynet.RoleAdmin, MonitoringView, MonitoringPropose, MonitoringRecord, MonitoringReview, MonitoringConfirm)
	add(safetynet.RoleCountyOfficer, MonitoringView, MonitoringConfirm)
	add(safetynet.RoleTownOfficer, MonitoringView, MonitoringReview)
	add(safetynet.RoleVillageStaff, MonitoringView, MonitoringPropose, MonitoringRecord)
	add(safetynet.RoleInspector, MonitoringView)
}
