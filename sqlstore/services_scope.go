package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/services"
)

// serviceZone is the local zone of service dates and settlement months.
var serviceZone = visitZone

// serviceViewer is what an actor sees of services: an organisation's
// staff (a user with an active service_workers row) see their
// organisation and only the households its contracts cover; everyone
// else with ServiceView sees the services in their area.
type serviceViewer struct {
	a        access.Actor
	orgID    int64 // staff: their organisation
	workerID int64 // staff: their own worker row
	scope    access.Scope
}

func (v serviceViewer) staff() bool { return v.orgID != 0 }

// serviceViewerOf decides the actor's view of services, requiring p.
func (s *Store) serviceViewerOf(ctx context.Context, t *tx, a access.Actor, p access.Permission) (serviceViewer, error) {
	if err := a.Require(p); err != nil {
		return serviceViewer{}, err
	}
	v := serviceViewer{a: a, scope: access.Scope{Kind: access.ScopeSubtree, Place: a.Place}}
	if a.Place == "" {
		v.scope = access.Scope{Kind: access.ScopeNone}
	}
	if a.UserID == 0 {
		return v, nil
	}
	err := t.queryRow(ctx, `SELECT id, org_id FROM service_workers WHERE user_id = ? AND status = 'active'`, a.UserID).Scan(&v.workerID, &v.orgID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("sqlstore: service worker of user: %w", err)
	}
	return v, nil
}

// coveredClause is the condition that the household h (alias columns
// hid, hplace) is covered by an active contract matching contractCond
// (a condition on k, the contract): named in it, or of its place (and
// target group, if one is named).
func coveredClause(hid, hplace, contractCond string) string {
	return `EXISTS (SELECT 1 FROM service_coverage c JOIN service_contracts k ON k.id = c.contract_id
		WHERE ` + contractCond + ` AND k.status = 'active' AND (c.household_id = ` + hid + ` OR (c.household_id IS NULL
		AND EXISTS (SELECT 1 FROM place_tree cpt WHERE cpt.ancestor = c.place_code AND cpt.descendant = ` + hplace + `)
		AND (c.category = '' OR EXISTS (SELECT 1 FROM assignments ca WHERE ca.household_id = ` + hid + `
			AND ca.category = c.category AND ca.end_date = '')))))`
}

// householdClause limits households (alias columns hid, hplace) to the
// viewer's.
func (v serviceViewer) householdClause(hid, hplace string) (string, []any) {
	if v.staff() {
		return coveredClause(hid, hplace, "k.org_id = ?"), []any{v.orgID}
	}
	return scopeCheck(v.scope, hplace)
}

// recordClause limits service records (alias r) to the viewer's.
func (v serviceViewer) recordClause(r string) (string, []any) {
	if v.staff() {
		return r + ".org_id = ?", []any{v.orgID}
	}
	return scopeCheck(v.scope, r+".place_code")
}

// contractClause limits contracts (alias k) to the viewer's: staff their
// organisation's; others the contracts bought in their area or above it
// (a village sees the town's contract that serves it).
func (v serviceViewer) contractClause(k string) (string, []any) {
	if v.staff() {
		return k + ".org_id = ?", []any{v.orgID}
	}
	if v.scope.Kind != access.ScopeSubtree {
		return "1 = 0", nil
	}
	if v.scope.Place == safetynet.RootPlaceCode {
		return "1 = 1", nil
	}
	return `(EXISTS (SELECT 1 FROM place_tree kpt WHERE kpt.ancestor = ? AND kpt.descendant = ` + k + `.place_code)
		OR EXISTS (SELECT 1 FROM place_tree kpt WHERE kpt.ancestor = ` + k + `.place_code AND kpt.descendant = ?))`, []any{v.scope.Place, v.scope.Place}
}

// orgClause limits organisations (alias o) to the viewer's: staff their
// own; others those registered in their area or holding a contract they
// see.
func (v serviceViewer) orgClause(o string) (string, []any) {
	if v.staff() {
		return o + ".id = ?", []any{v.orgID}
	}
	kc, kargs := v.contractClause("k")
	pc, pargs := scopeCheck(v.scope, o+".place_code")
	return "(" + pc + " OR EXISTS (SELECT 1 FROM service_contracts k WHERE k.org_id = " + o + ".id AND " + kc + "))", append(pargs, kargs...)
}

// manages reports whether the actor may manage records bought at place:
// ServiceManage, and the place in the actor's area.
func (s *Store) manages(ctx context.Context, t *tx, a access.Actor, place string) error {
	if err := a.Require(access.ServiceManage); err != nil {
		return err
	}
	c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "p.code")
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM places p WHERE p.code = ? AND `+c, append([]any{place}, args...)...).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: service place: %w", err)
	}
	if n == 0 {
		return safetynet.Invalid("place_code", "地区不存在或不在您的管辖范围内", "the place does not exist or is outside your area")
	}
	return nil
}

// localDay is the local date of t.
func localDay(t time.Time) string { return t.In(serviceZone).Format(services.DateLayout) }

// codeHash is what is stored of a household's confirmation code: keyed
// with the deployment's index key when there is one.
func (s *Store) codeHash(householdID int64, code string) string {
	if s.keys != nil {
		return fmt.Sprintf("%x", s.keys.Index(fmt.Sprintf("%d|%s", householdID, code), "service.code"))
	}
	return services.CodeHash(nil, householdID, code)
}
