package access

import "safetynet"

// Permissions of survival certification assistance (协助生存认证).
const (
	CertificationView     Permission = "certification.view"     // who is due, coverage, figures
	CertificationRecord   Permission = "certification.record"   // record how a certification was assisted
	CertificationReview   Permission = "certification.review"   // the county's suspension review
	CertificationSettings Permission = "certification.settings" // which measures require certification, how often
)

func init() {
	add := func(r safetynet.Role, ps ...Permission) { grants[r] = append(grants[r], ps...) }
	add(safetynet.RoleAdmin, CertificationView, CertificationRecord, CertificationReview, CertificationSettings)
	add(safetynet.RoleCountyOfficer, CertificationView, CertificationReview, CertificationSettings)
	add(safetynet.RoleTownOfficer, CertificationView, CertificationRecord)
	add(safetynet.RoleVillageStaff, CertificationView, CertificationRecord)
	add(safetynet.RoleGridWorker, CertificationView, CertificationRecord)
	add(safetynet.RoleInspector, CertificationView)
}
