package httpserver

import "safetynet/sqlstore"

// Responses of the register API. Each is a named schema in openapi.yaml
// (given after the type), and the API tests check every answer against it.

// householdListJSON answers GET /api/v1/households (HouseholdList).
// NextAfter is the ?after= of the next page, present when the page is full.
type householdListJSON struct {
	Households []householdJSON `json:"households"`
	NextAfter  int64           `json:"next_after,omitempty"`
}

// householdViewJSON is a household's file (HouseholdView).
type householdViewJSON struct {
	Household       householdJSON    `json:"household"`
	Members         []personJSON     `json:"members"`
	FormerMembers   []personJSON     `json:"former_members"`
	CategoryHistory []assignmentJSON `json:"category_history"`
	Events          []eventJSON      `json:"events"`
}

func toHouseholdViewJSON(v sqlstore.HouseholdView, lang string) householdViewJSON {
	return householdViewJSON{Household: toHouseholdJSON(v.Household, lang), Members: toPersonsJSON(v.Members, lang),
		FormerMembers: toPersonsJSON(v.Former, lang), CategoryHistory: toAssignmentsJSON(v.History, lang), Events: toEventsJSON(v.Events)}
}

// membershipJSON is a stay of a person in a household (Membership); End
// and EndReason are empty while the stay lasts.
type membershipJSON struct {
	HouseholdID int64  `json:"household_id"`
	Address     string `json:"address"`
	Relation    string `json:"relation"`
	Start       string `json:"start"`
	End         string `json:"end"`
	EndReason   string `json:"end_reason"`
}

// personViewJSON is a person's file (PersonView).
type personViewJSON struct {
	Person          personJSON       `json:"person"`
	Household       householdJSON    `json:"household"`
	CategoryHistory []assignmentJSON `json:"category_history"`
	Memberships     []membershipJSON `json:"memberships"`
	Events          []eventJSON      `json:"events"`
}

func toPersonViewJSON(v sqlstore.PersonView, lang string) personViewJSON {
	ms := make([]membershipJSON, 0, len(v.Memberships))
	for _, m := range v.Memberships {
		ms = append(ms, membershipJSON{HouseholdID: m.HouseholdID, Address: m.Address, Relation: m.Relation,
			Start: dateJSON(m.Start), End: dateJSON(m.End), EndReason: m.EndReason})
	}
	return personViewJSON{Person: toPersonJSON(v.Person, lang), Household: toHouseholdJSON(v.Household, lang),
		CategoryHistory: toAssignmentsJSON(v.History, lang), Memberships: ms, Events: toEventsJSON(v.Events)}
}

// revealedJSON is a full ID or phone number (Revealed).
type revealedJSON struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// searchResultsJSON answers GET /api/v1/search (SearchResults).
type searchResultsJSON struct {
	Results []searchHitJSON `json:"results"`
}

// searchHitJSON is a person found, with their household and what matched:
// id_number, phone or text (SearchHit).
type searchHitJSON struct {
	Person    personJSON    `json:"person"`
	Household householdJSON `json:"household"`
	MatchedBy string        `json:"matched_by"`
}

func toSearchResultsJSON(hits []sqlstore.SearchHit, lang string) searchResultsJSON {
	out := searchResultsJSON{Results: make([]searchHitJSON, 0, len(hits))}
	for _, h := range hits {
		out.Results = append(out.Results, searchHitJSON{Person: toPersonJSON(h.Person, lang),
			Household: toHouseholdJSON(h.Household, lang), MatchedBy: h.MatchedBy})
	}
	return out
}

// duplicatesJSON answers GET /api/v1/duplicates (Duplicates).
type duplicatesJSON struct {
	Pairs []duplicatePairJSON `json:"pairs"`
}

// duplicatePairJSON is two persons that may be one (DuplicatePair).
type duplicatePairJSON struct {
	A personJSON `json:"a"`
	B personJSON `json:"b"`
}

func toDuplicatesJSON(pairs []sqlstore.DuplicatePair, lang string) duplicatesJSON {
	out := duplicatesJSON{Pairs: make([]duplicatePairJSON, 0, len(pairs))}
	for _, p := range pairs {
		out.Pairs = append(out.Pairs, duplicatePairJSON{A: toPersonJSON(p.A, lang), B: toPersonJSON(p.B, lang)})
	}
	return out
}

// createdJSON is the ID of a record created (Created).
type createdJSON struct {
	ID int64 `json:"id"`
}
