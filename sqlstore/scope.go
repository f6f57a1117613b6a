package sqlstore

import (
	"safetynet"
	"safetynet/access"
)

// rootScope sees everything; for internal reads of records already known
// to be in the caller's scope.
var rootScope = access.Scope{Kind: access.ScopeSubtree, Place: safetynet.RootPlaceCode}

// scopeClause returns a condition limiting column, which holds a place
// code, to what scope sc allows, with its arguments. It is the only
// translation of an access.Scope into SQL.
func scopeClause(sc access.Scope, column string) (string, []any) {
	switch sc.Kind {
	case access.ScopeSubtree:
		if sc.Place == safetynet.RootPlaceCode {
			return "1 = 1", nil // the whole tree: no need to ask the closure
		}
		return column + " IN (SELECT descendant FROM place_tree WHERE ancestor = ?)", []any{sc.Place}
	default:
		// ScopeAssigned applies to task-bound records only; resources
		// without assignments show nothing to such an actor.
		return "1 = 0", nil
	}
}

// scopeCheck is scopeClause for a query that finds one row (or a few) by
// key: one probe of the closure per row instead of listing the whole
// subtree, which for a county is thousands of places.
func scopeCheck(sc access.Scope, column string) (string, []any) {
	if sc.Kind == access.ScopeSubtree && sc.Place != safetynet.RootPlaceCode {
		return "EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = " + column + ")", []any{sc.Place}
	}
	return scopeClause(sc, column)
}
