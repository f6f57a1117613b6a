package access

import "safetynet"

// SeesSettlements reports whether the actor may read organisations'
// monthly settlements and figures of pay: an organisation's payroll across
// the buyer's area is read at the buyer's level and above (town and county
// officers, administrators), by inspectors and by the organisation's own
// staff (storage narrows them to their organisation). Village staff verify
// the services of their village but do not read the payroll.
func (a Actor) SeesSettlements() bool {
	return a.Can(ServiceView) && a.Role != safetynet.RoleVillageStaff
}
