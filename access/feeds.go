package access

import "safetynet"

// FeedDepartment says whose batches an actor may push and see: a
// department account only its own department's (dept, true), every other
// role any department's within its scope ("", false). The department of a
// department account is its user's department, which storage loads.
func (a Actor) FeedDepartment(userDepartment string) (string, bool) {
	if a.Role == safetynet.RoleDepartment {
		return userDepartment, true
	}
	return "", false
}
