package safetynet

import "time"

// AuditEntry is one line of the append-only audit log: who did or saw what,
// when, to which record, from where.
type AuditEntry struct {
	ID         int64
	At         time.Time
	UserID     int64 // 0 for the command line and the system itself
	Username   string
	Role       Role
	Action     string // e.g. "place.create", "user.disable", "person.reveal"
	ObjectType string // e.g. "place", "user"
	ObjectID   string
	PlaceCode  string // the place the record belongs to, for scoped browsing
	IP         string
	Detail     string // JSON; never holds ID numbers, phone numbers or health details in clear
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Username   string
	Action     string // exact, or a prefix ending in "." such as "user."
	ObjectType string
	ObjectID   string
	PlaceCode  string // entries of this place's subtree
	From, To   time.Time
	BeforeID   int64 // keyset pagination: entries with a smaller ID
	Limit      int
}
