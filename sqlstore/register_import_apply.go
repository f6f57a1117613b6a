package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
)

// newCategories gives a subject created by this import its categories:
// nothing is held yet, so no lookups are needed (see newCategoryList).
func (im *ledgerImport) newCategories(ctx context.Context, subject safetynet.Subject, id, household int64, place string, row int, cats []safetynet.NewAssignment) error {
	list, err := im.newCategoryList(subject, row, cats)
	if err != nil || im.dry {
		return err
	}
	for _, c := range list {
		if _, _, err := im.s.insertAssignment(ctx, im.t, im.a, subject, id, household, place, c, c.Reason); err != nil {
			return err
		}
	}
	return nil
}

func (im *ledgerImport) addPerson(ctx context.Context, household int64, place, address string, m safetynet.LedgerPerson, today string) (int64, error) {
	if im.dry {
		im.rep.Persons.Created++
		return 0, im.newCategories(ctx, safetynet.SubjectPerson, 0, household, place, m.Row, m.Categories)
	}
	sp, err := im.s.sealPerson(m.Person)
	if err != nil {
		return 0, err
	}
	pid, err := im.s.insertPerson(ctx, im.t, household, place, address, m.Person, m.Legacy, sp, today)
	if err != nil {
		if safetynet.AsError(err) != nil {
			return 0, fmt.Errorf("row %d: %w", m.Row, err)
		}
		return 0, err
	}
	if err := im.s.event(ctx, im.t, im.a, household, pid, place, "person.add", map[string]any{"name": m.Person.Name, "source": "import", "row": m.Row}); err != nil {
		return 0, err
	}
	im.rep.Persons.Created++
	return pid, im.newCategories(ctx, safetynet.SubjectPerson, pid, household, place, m.Row, m.Categories)
}

// categories adds the ledger's categories that the subject does not hold.
func (im *ledgerImport) categories(ctx context.Context, subject safetynet.Subject, id int64, row int, cats []safetynet.NewAssignment, changed *[]string) error {
	if len(cats) == 0 {
		return nil
	}
	active, err := im.s.activeAssignments(ctx, im.t, subject, []int64{id})
	if err != nil {
		return err
	}
	for _, c := range cats {
		held := false
		for _, x := range active[id] {
			held = held || (x.Category == c.Category && x.RiskType == c.RiskType)
		}
		if held {
			continue
		}
		// Listed twice in the file: the second is held by then.
		active[id] = append(active[id], safetynet.Assignment{Category: c.Category, RiskType: c.RiskType})
		c.Source = "import"
		if err := im.assign(ctx, subject, id, c); err != nil {
			if e := im.failErr(row, err); e != nil {
				return e
			}
			continue
		}
		im.rep.Categories++
		if changed != nil {
			*changed = append(*changed, "category:"+c.Category)
		}
	}
	return nil
}

// assign gives a stored subject a category; a dry run makes the checks
// that assign makes and writes nothing.
func (im *ledgerImport) assign(ctx context.Context, subject safetynet.Subject, id int64, c safetynet.NewAssignment) error {
	if !im.dry {
		_, err := im.s.assign(ctx, im.t, im.a, subject, id, c)
		return err
	}
	if _, err := safetynet.CheckNewAssignment(subject, c, im.s.now()); err != nil {
		return err
	}
	if _, err := checkNote(c.Reason); err != nil {
		return err
	}
	_, _, err := im.s.subjectPlace(ctx, im.t, im.a, subject, id)
	return err
}

func (im *ledgerImport) change(row int, name string, fields []string) {
	if len(im.rep.Changes) < safetynet.MaxLedgerChanges {
		im.rep.Changes = append(im.rep.Changes, safetynet.RowChange{Row: row, Name: name, Fields: fields})
	}
}

// updateHousehold merges a ledger household into stored household id:
// values the ledger gives replace stored ones, values it leaves empty
// keep what is stored.
func (im *ledgerImport) updateHousehold(ctx context.Context, lh safetynet.LedgerHousehold, id int64, stored []*storedPerson) error {
	old, err := im.s.householdInScope(ctx, im.t, rootScope, id, true)
	if err != nil {
		return err
	}
	in := mergeHousehold(old, lh.Household)
	if in.PlaceCode != old.PlaceCode {
		// A stored place inside the ledger's place is more precise: keep it.
		if inside, err := isDescendant(ctx, im.t, old.PlaceCode, in.PlaceCode); err != nil {
			return err
		} else if inside {
			in.PlaceCode = old.PlaceCode
		}
	}
	changes := householdChanges(old, in)
	var fields []string
	for f := range changes {
		fields = append(fields, f)
	}
	if len(changes) > 0 && !im.dry {
		phoneEnc, phoneIdx, err := im.s.seal(in.Phone, ctxHHPhone, idxPhone)
		if err != nil {
			return err
		}
		if _, err := im.t.exec(ctx, `UPDATE households SET number = ?, place_code = ?, address = ?, phone_enc = ?, phone_idx = ?,
			income_year = ?, income_fen = ?, housing = ?, water = ?, notes = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Number, in.PlaceCode, in.Address, phoneEnc, phoneIdx, in.IncomeYear, in.IncomeFen, in.Housing, in.Water, in.Notes,
			ms(im.s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: import update household %d: %w", id, err)
		}
		if err := im.s.relocateMembers(ctx, im.t, id, in.PlaceCode, in.Address, old.Address != in.Address || old.PlaceCode != in.PlaceCode); err != nil {
			return err
		}
		if err := im.s.event(ctx, im.t, im.a, id, 0, in.PlaceCode, "household.update", map[string]any{"changed": changes, "source": "import"}); err != nil {
			return err
		}
	}
	members, err := im.membersByName(ctx, id)
	if err != nil {
		return err
	}
	today := dateStr(im.s.now())
	added := false
	for i, m := range lh.Members {
		sp := stored[i]
		if sp == nil && m.Person.IDNumber == "" {
			sp = members[m.Person.Name]
		}
		if sp == nil {
			if _, err := im.addPerson(ctx, id, in.PlaceCode, in.Address, m, today); err != nil {
				return err
			}
			added = true
			fields = append(fields, "member+:"+m.Person.Name)
			continue
		}
		if err := im.updatePerson(ctx, sp.Person, m, in.Address, in.PlaceCode); err != nil {
			return err
		}
	}
	if added && !im.dry {
		if err := im.s.countMembers(ctx, im.t, id); err != nil {
			return err
		}
	}
	if err := im.categories(ctx, safetynet.SubjectHousehold, id, lh.Row, lh.Categories, &fields); err != nil {
		return err
	}
	if len(fields) == 0 {
		im.rep.Households.Unchanged++
		return nil
	}
	im.rep.Households.Updated++
	im.change(lh.Row, old.HeadName, fields)
	return nil
}

// membersByName maps the names of a household's active members to the
// members, for ledger rows without an ID number (or with a masked one, as
// in a masked export).
func (im *ledgerImport) membersByName(ctx context.Context, household int64) (map[string]*storedPerson, error) {
	rows, err := im.t.query(ctx, `SELECT `+personCols+` FROM persons p WHERE p.household_id = ? AND p.status = 'active'`, household)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: members of %d: %w", household, err)
	}
	defer rows.Close()
	out := map[string]*storedPerson{}
	for rows.Next() {
		p, err := im.s.scanPerson(rows, true)
		if err != nil {
			return nil, err
		}
		out[p.Name] = &storedPerson{Person: p, inScope: true}
	}
	return out, rows.Err()
}

func (im *ledgerImport) updatePerson(ctx context.Context, old safetynet.Person, m safetynet.LedgerPerson, address, place string) error {
	in := mergePerson(old, m.Person)
	changes := personChanges(old, in)
	var fields []string
	for f := range changes {
		fields = append(fields, f)
	}
	if len(changes) > 0 && !im.dry {
		if in.Relation == "head" && old.Relation != "head" {
			if err := im.s.makeHead(ctx, im.t, im.a, old.HouseholdID, old.ID); err != nil {
				return err
			}
		}
		sp, err := im.s.sealPerson(in)
		if err != nil {
			return err
		}
		text, err := im.t.searchText(ctx, in.Name, address, place)
		if err != nil {
			return err
		}
		if _, err := im.t.exec(ctx, `UPDATE persons SET relation = ?, name = ?, id_enc = ?, id_idx = ?, id_legacy = ?, birth_date = ?, sex = ?,
			phone_enc = ?, phone_idx = ?, disability_kind = ?, disability_grade = ?, health = ?, health_notes = ?, education = ?,
			in_school = ?, labour = ?, work = ?, search_text = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Relation, in.Name, sp.idEnc, sp.idIdx, boolInt(m.Legacy || old.IDLegacy && in.IDNumber == old.IDNumber), dateStr(in.Birth), in.Sex,
			sp.phoneEnc, sp.phoneIdx, in.DisabilityKind, in.DisabilityGrade, in.Health, in.HealthNotes, in.Education, boolInt(in.InSchool),
			in.Labour, in.Work, text, ms(im.s.now()), old.ID); err != nil {
			return fmt.Errorf("sqlstore: import update person row %d: %w", m.Row, err)
		}
		if err := im.s.event(ctx, im.t, im.a, old.HouseholdID, old.ID, old.PlaceCode, "person.update", map[string]any{"changed": changes, "source": "import"}); err != nil {
			return err
		}
	}
	if err := im.categories(ctx, safetynet.SubjectPerson, old.ID, m.Row, m.Categories, &fields); err != nil {
		return err
	}
	if len(fields) == 0 {
		im.rep.Persons.Unchanged++
		return nil
	}
	im.rep.Persons.Updated++
	im.change(m.Row, old.Name, fields)
	return nil
}

// mergeHousehold keeps stored values where the ledger has none.
func mergeHousehold(old safetynet.Household, in safetynet.HouseholdInput) safetynet.HouseholdInput {
	pick := func(v, o string) string {
		if v == "" {
			return o
		}
		return v
	}
	out := safetynet.HouseholdInput{
		Number: pick(in.Number, old.Number), PlaceCode: pick(in.PlaceCode, old.PlaceCode), Address: pick(in.Address, old.Address),
		Phone: pick(in.Phone, old.Phone), Housing: pick(in.Housing, old.Housing), Water: pick(in.Water, old.Water),
		Notes: pick(in.Notes, old.Notes), IncomeYear: old.IncomeYear, IncomeFen: old.IncomeFen,
	}
	if in.IncomeFen != 0 || in.IncomeYear != 0 {
		out.IncomeYear, out.IncomeFen = in.IncomeYear, in.IncomeFen
	}
	return out
}

// mergePerson keeps stored values where the ledger row has none.
func mergePerson(old safetynet.Person, in safetynet.PersonInput) safetynet.PersonInput {
	pick := func(v, o string) string {
		if v == "" {
			return o
		}
		return v
	}
	out := safetynet.PersonInput{
		Name: pick(in.Name, old.Name), IDNumber: pick(in.IDNumber, old.IDNumber), Birth: in.Birth, Sex: pick(in.Sex, old.Sex),
		Relation: pick(in.Relation, old.Relation), Phone: pick(in.Phone, old.Phone), DisabilityKind: pick(in.DisabilityKind, old.DisabilityKind),
		DisabilityGrade: in.DisabilityGrade, Health: pick(in.Health, old.Health), HealthNotes: pick(in.HealthNotes, old.HealthNotes),
		Education: pick(in.Education, old.Education), InSchool: in.InSchool || old.InSchool, Labour: pick(in.Labour, old.Labour),
		Work: pick(in.Work, old.Work),
	}
	if out.Birth.IsZero() {
		out.Birth = old.Birth
	}
	if in.DisabilityKind == "" {
		out.DisabilityGrade = old.DisabilityGrade
	}
	return out
}
