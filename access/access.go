// Package access decides what an actor may do and see. It is the single
// place where roles turn into permissions and where a user's place turns
// into the scope that storage applies to its queries.
//
// Two questions, two functions:
//   - Can(permission): may this role perform this kind of action at all?
//     A "no" is answered with 403 before any object is looked up, so it
//     never reveals whether an object exists.
//   - Scope(resource): which records of a kind may this actor see? Storage
//     turns the answer into a WHERE clause; a record outside it is
//     reported as not found (404).
//
// Volunteers see places like everyone else but, for register data, only
// what their assigned tasks need: that is the ScopeAssigned answer for
// the register resource, decided here and nowhere else.
package access

import (
	"context"

	"safetynet"
)

// Permission names a kind of action.
type Permission string

// Permissions.
const (
	PlaceView   Permission = "place.view"
	PlaceManage Permission = "place.manage" // create, rename, move, import
	UserView    Permission = "user.view"
	UserManage  Permission = "user.manage" // create, change role or place, reset password, disable
	AuditView   Permission = "audit.view"

	RegisterView   Permission = "register.view"   // households and persons, IDs and phones masked
	RegisterEdit   Permission = "register.edit"   // create, edit, move, split, merge, categories
	RegisterImport Permission = "register.import" // ledger imports
	RegisterExport Permission = "register.export" // ledger exports (masked)
	IdentityReveal Permission = "identity.reveal" // see full ID and phone numbers; every reveal is audited

	ClueReport  Permission = "clue.report"  // report a clue (急难线索)
	WorkView    Permission = "work.view"    // see clues, cases and their deadlines
	WorkHandle  Permission = "work.handle"  // acknowledge, verify, open and work cases, follow up
	WorkApprove Permission = "work.approve" // decide applications at the actor's own level
	// FollowupRecord is recording a follow-up visit: the grid worker owns
	// the visits of the households in the grid, so whoever a visit waits
	// for can record it.
	FollowupRecord Permission = "followup.record"
	FiguresView    Permission = "figures.view"  // figures per place and level
	SettingsEdit   Permission = "settings.edit" // time limits and the measure catalogue

	RulesView      Permission = "rules.view"      // read eligibility and exit rules and parameters
	RulesEdit      Permission = "rules.edit"      // write, check, preview, publish and retire rules; set parameters
	ScreeningView  Permission = "screening.view"  // the 应享未享 and 应退未退 lists, outreach counts, rule history
	ScreeningAct   Permission = "screening.act"   // dismiss a line, start an application, continued follow-up
	OutreachRecord Permission = "outreach.record" // policy outreach tasks (惠民政策宣传)

	FeedPush Permission = "feed.push" // push department batches, upload department files (部门数据)
	FeedView Permission = "feed.view" // see department batches and their row results
)

// grants is the role → permission matrix.
var grants = map[safetynet.Role][]Permission{
	safetynet.RoleAdmin: {PlaceView, PlaceManage, UserView, UserManage, AuditView,
		RegisterView, RegisterEdit, RegisterImport, RegisterExport, IdentityReveal,
		ClueReport, WorkView, WorkHandle, WorkApprove, FollowupRecord, FiguresView, SettingsEdit,
		RulesView, RulesEdit, ScreeningView, ScreeningAct, OutreachRecord,
		FeedPush, FeedView},
	safetynet.RoleCountyOfficer: {PlaceView, UserView, AuditView,
		RegisterView, RegisterEdit, RegisterImport, RegisterExport, IdentityReveal,
		ClueReport, WorkView, WorkHandle, WorkApprove, FollowupRecord, FiguresView, SettingsEdit,
		RulesView, RulesEdit, ScreeningView, ScreeningAct, OutreachRecord,
		FeedPush, FeedView},
	safetynet.RoleTownOfficer: {PlaceView, UserView,
		RegisterView, RegisterEdit, RegisterImport, RegisterExport, IdentityReveal,
		ClueReport, WorkView, WorkHandle, WorkApprove, FollowupRecord, FiguresView,
		RulesView, ScreeningView, ScreeningAct, OutreachRecord},
	safetynet.RoleVillageStaff: {PlaceView, UserView,
		RegisterView, RegisterEdit, RegisterImport, RegisterExport, IdentityReveal,
		ClueReport, WorkView, WorkHandle, WorkApprove, FollowupRecord, FiguresView,
		RulesView, ScreeningView, ScreeningAct, OutreachRecord},
	safetynet.RoleGridWorker: {PlaceView, RegisterView, ClueReport, WorkView, FollowupRecord, OutreachRecord},
	safetynet.RoleInspector: {PlaceView, UserView, AuditView, RegisterView, RegisterExport, WorkView, FiguresView,
		RulesView, ScreeningView},
	safetynet.RoleSocialWorker: {PlaceView, RegisterView, ClueReport, WorkView},
	safetynet.RoleVolunteer:    {PlaceView},
	safetynet.RoleDepartment:   {PlaceView, FeedPush, FeedView},
}

// approvalLevels say at which level of the chain a role decides
// applications; a decision needs exactly that level (admins decide any).
var approvalLevels = map[safetynet.Role]safetynet.Level{
	safetynet.RoleVillageStaff:  safetynet.LevelVillage,
	safetynet.RoleTownOfficer:   safetynet.LevelTown,
	safetynet.RoleCountyOfficer: safetynet.LevelCounty,
}

// CanDecide reports whether the actor may decide an application that
// needs level l.
func (a Actor) CanDecide(l safetynet.Level) bool {
	if !a.Can(WorkApprove) {
		return false
	}
	return a.Role == safetynet.RoleAdmin || approvalLevels[a.Role] == l
}

// Resource names a kind of record that has a place.
type Resource string

// Resources.
const (
	Places Resource = "places"
	Users  Resource = "users"
	Audit  Resource = "audit"
	// Register is households, persons and everything attached to them.
	Register Resource = "register"
	// Work is clues, cases, their deadlines and figures.
	Work Resource = "work"
	// Feeds is department batches and their row results; a department
	// account sees only its own department's (see FeedDepartment).
	Feeds Resource = "feeds"
)

// ScopeKind is the shape of a scope.
type ScopeKind int

// Scope kinds.
const (
	ScopeNone     ScopeKind = iota // nothing is visible
	ScopeSubtree                   // records whose place is in the subtree of Scope.Place
	ScopeAssigned                  // only records assigned to Scope.UserID (volunteers' tasks)
)

// Scope is the set of records an actor may see of one resource.
type Scope struct {
	Kind   ScopeKind
	Place  string
	UserID int64
}

// Actor is whoever acts: a logged-in user, a machine account, or the
// command line.
type Actor struct {
	UserID   int64 // 0 for the command line
	Username string
	Role     safetynet.Role
	Place    string // root of the actor's scope
	IP       string // where the request came from, for the audit log
}

// System is the actor of command-line administration: an administrator of
// the whole tree.
func System() Actor {
	return Actor{Username: "system", Role: safetynet.RoleAdmin, Place: safetynet.RootPlaceCode, IP: "cli"}
}

// Can reports whether the actor's role grants p.
func (a Actor) Can(p Permission) bool {
	for _, g := range grants[a.Role] {
		if g == p {
			return true
		}
	}
	return false
}

// Permissions lists the permissions of the actor's role.
func (a Actor) Permissions() []Permission { return append([]Permission(nil), grants[a.Role]...) }

// Require returns a forbidden error unless the actor's role grants p.
func (a Actor) Require(p Permission) error {
	if a.Can(p) {
		return nil
	}
	return safetynet.Forbidden()
}

// Scope returns what the actor may see of res.
func (a Actor) Scope(res Resource) Scope {
	if a.Place == "" {
		return Scope{Kind: ScopeNone}
	}
	switch res {
	case Places:
		if a.Can(PlaceView) {
			return Scope{Kind: ScopeSubtree, Place: a.Place}
		}
	case Users:
		if a.Can(UserView) {
			return Scope{Kind: ScopeSubtree, Place: a.Place}
		}
	case Audit:
		if a.Can(AuditView) {
			return Scope{Kind: ScopeSubtree, Place: a.Place}
		}
	case Work:
		if a.Role == safetynet.RoleVolunteer {
			return Scope{Kind: ScopeAssigned, UserID: a.UserID}
		}
		if a.Can(WorkView) {
			return Scope{Kind: ScopeSubtree, Place: a.Place}
		}
	case Feeds:
		if a.Can(FeedView) {
			return Scope{Kind: ScopeSubtree, Place: a.Place}
		}
	case Register:
		if a.Role == safetynet.RoleVolunteer {
			// Volunteers see only the households of tasks assigned to them.
			return Scope{Kind: ScopeAssigned, UserID: a.UserID}
		}
		if a.Can(RegisterView) {
			return Scope{Kind: ScopeSubtree, Place: a.Place}
		}
	}
	return Scope{Kind: ScopeNone}
}

type ctxKey struct{}

// NewContext returns ctx carrying a.
func NewContext(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// FromContext returns the actor in ctx, if any.
func FromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(ctxKey{}).(Actor)
	return a, ok
}
