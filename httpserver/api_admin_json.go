package httpserver

import "safetynet"

// Responses of the places, users, audit and import APIs. Each is a named
// schema in openapi.yaml (given after the type), and the API tests check
// every answer against it.

// placeListJSON answers GET /api/v1/places (PlaceList).
type placeListJSON struct {
	Places []placeJSON `json:"places"`
}

// userListJSON answers GET /api/v1/users (UserList).
type userListJSON struct {
	Users []userJSON `json:"users"`
}

// auditLogJSON answers GET /api/v1/audit (AuditLog). NextBefore is the
// ?before= of the next page, present when the page is full.
type auditLogJSON struct {
	Entries    []auditJSON `json:"entries"`
	NextBefore int64       `json:"next_before,omitempty"`
}

// importListJSON answers GET /api/v1/imports (ImportList).
type importListJSON struct {
	Imports []importJSON `json:"imports"`
}

// rowChangeJSON is a ledger row that updates a stored record, with the
// fields it changes (RowChange).
type rowChangeJSON struct {
	Row    int      `json:"row"`
	Name   string   `json:"name"`
	Fields []string `json:"fields"`
}

// countsJSON counts records created, updated and left unchanged by a
// ledger (Counts). The capitalised names are those clients read today.
type countsJSON struct {
	Created   int `json:"Created"`
	Updated   int `json:"Updated"`
	Unchanged int `json:"Unchanged"`
}

func toCountsJSON(c safetynet.Counts) countsJSON {
	return countsJSON{Created: c.Created, Updated: c.Updated, Unchanged: c.Unchanged}
}
