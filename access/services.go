package access

import "safetynet"

// Permissions of services paid per verified service (按劳定酬), volunteer
// relays (接龙) and funds (帮扶资金). An organisation's staff (social
// workers with a service_workers row) see only the households their
// organisation's contracts cover: storage narrows their ServiceView scope.
const (
	ServiceView       Permission = "service.view"       // organisations, contracts, plans, records, settlements
	ServiceManage     Permission = "service.manage"     // register organisations, contracts, workers, plans, household codes
	ServiceRecord     Permission = "service.record"     // record a service done (the organisation's staff)
	ServiceVerify     Permission = "service.verify"     // accept or reject recorded services, draw samples
	SettlementApprove Permission = "settlement.approve" // approve and close a month's settlement

	VolunteerManage Permission = "volunteer.manage" // open a relay (接龙), its tasks and slots; sign-up links
	VolunteerTake   Permission = "volunteer.take"   // take a slot, mark it done (volunteers and neighbours)

	FundsView   Permission = "funds.view"   // sources, balances, what households received
	FundsManage Permission = "funds.manage" // receipts, allocations, spending, linked resources
)

func init() {
	add := func(r safetynet.Role, ps ...Permission) { grants[r] = append(grants[r], ps...) }
	add(safetynet.RoleAdmin, ServiceView, ServiceManage, ServiceRecord, ServiceVerify, SettlementApprove,
		VolunteerManage, VolunteerTake, FundsView, FundsManage)
	add(safetynet.RoleCountyOfficer, ServiceView, ServiceManage, ServiceVerify, SettlementApprove,
		VolunteerManage, FundsView, FundsManage)
	add(safetynet.RoleTownOfficer, ServiceView, ServiceManage, ServiceVerify, SettlementApprove,
		VolunteerManage, FundsView, FundsManage)
	// The village manages its own sources (a support unit's funds it obtained,
	// seed 000); sources owned above it it only reads.
	add(safetynet.RoleVillageStaff, ServiceView, ServiceVerify, VolunteerManage, FundsView, FundsManage)
	add(safetynet.RoleGridWorker, VolunteerTake)
	add(safetynet.RoleSocialWorker, ServiceView, ServiceRecord, VolunteerTake)
	add(safetynet.RoleVolunteer, VolunteerTake)
	add(safetynet.RoleInspector, ServiceView, FundsView)
}
