package visits

import (
	"safetynet"
	"safetynet/access"
)

// Day scopes: whose due visits make an actor's day.
const (
	DayNone     = iota // no day list
	DayAssigned        // only the households paired with the actor (cadres, neighbours)
	DayPlace           // the households of the actor's place, and those paired with them
)

// DayScope decides whose visits an actor sees on the day list and may
// record: grid workers and social workers their place's households (and
// any paired with them); cadres of the village, town and county, and
// neighbours (volunteers), only the households paired with them (分包,
// 邻里互助对子); inspectors and departments none.
func DayScope(a access.Actor) int {
	switch a.Role {
	case safetynet.RoleGridWorker, safetynet.RoleSocialWorker:
		return DayPlace
	case safetynet.RoleVillageStaff, safetynet.RoleTownOfficer, safetynet.RoleCountyOfficer, safetynet.RoleAdmin,
		safetynet.RoleVolunteer:
		return DayAssigned
	}
	return DayNone
}

// Pair levels: who visits a household.
const (
	LevelTown      = "town"      // 乡镇干部包户
	LevelVillage   = "village"   // 村干部包户
	LevelGrid      = "grid"      // 网格员
	LevelNeighbour = "neighbour" // 邻里互助对子
)

// PairLevels lists the pair levels.
var PairLevels = []string{LevelTown, LevelVillage, LevelGrid, LevelNeighbour}

// PairRoleOK reports whether a user of role may be paired at level: town
// cadres are town officers, village cadres village staff, grid workers
// grid workers, neighbours volunteers (or a named person without a login,
// checked by the caller).
func PairRoleOK(level string, role safetynet.Role) bool {
	switch level {
	case LevelTown:
		return role == safetynet.RoleTownOfficer
	case LevelVillage:
		return role == safetynet.RoleVillageStaff
	case LevelGrid:
		return role == safetynet.RoleGridWorker
	case LevelNeighbour:
		return role == safetynet.RoleVolunteer
	}
	return false
}
