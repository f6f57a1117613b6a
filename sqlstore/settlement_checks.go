package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"safetynet/settlement"
)

// The automatic checks of a recorded service (settlement.Flag*). They run
// when a record arrives (the services capability's recording calls
// checkServiceRecord in its transaction), in the checks' sweep for records
// that arrived without them (CheckServiceRecords, the jobs loop), and for a
// month's unchecked records before it is approved. A check adds a flag
// once (a flag is unique per record, kind and the other record); a review
// resolves the open flags of the record it decides.

// svcFacts is what the checks read of a record.
type svcFacts struct {
	id, org, worker, household, person, plan int64
	start, end                               int64
	lat, lon                                 sql.NullInt64
	month, status                            string
}

// newFlag is a flag a check raises.
type newFlag struct {
	record, other int64
	kind          string
	why           settlement.Explanation
}

func (s *Store) svcFacts(ctx context.Context, t *tx, id int64) (svcFacts, error) {
	var f svcFacts
	var person, plan sql.NullInt64
	err := t.queryRow(ctx, `SELECT id, org_id, worker_id, household_id, person_id, plan_id, started_at, ended_at, lat_e6, lon_e6, month, review_status
		FROM service_records WHERE id = ?`, id).Scan(&f.id, &f.org, &f.worker, &f.household, &person, &plan, &f.start, &f.end, &f.lat, &f.lon,
		&f.month, &f.status)
	f.person, f.plan = person.Int64, plan.Int64
	return f, err
}

// hm is a local time of day, HH:MM, of unix seconds.
func hm(unix int64) string { return time.Unix(unix, 0).In(settlement.Zone).Format("15:04") }

// checkServiceRecord runs every automatic check on the record, adds the
// flags it finds (to the record, and to the other record of a clash while
// that one is still pending), keeps service_records.flags equal to the
// number of open flags and marks the record checked. It reads and writes
// through t only, so a recording's write transaction can call it.
func (s *Store) checkServiceRecord(ctx context.Context, t *tx, recordID int64) error {
	f, err := s.svcFacts(ctx, t, recordID)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlstore: check service %d: %w", recordID, err)
	}
	var flags []newFlag
	for _, check := range []func(context.Context, *tx, svcFacts) ([]newFlag, error){
		s.checkOverlapAndTravel, s.checkPhotos, s.checkRecipient, s.checkPlan,
	} {
		fl, err := check(ctx, t, f)
		if err != nil {
			return fmt.Errorf("sqlstore: check service %d: %w", recordID, err)
		}
		flags = append(flags, fl...)
	}
	now := ms(s.now())
	// A record that gets a new flag gets a new version too: whoever is
	// looking at it without the flag must not accept it unseen.
	added := map[int64]int{}
	for _, fl := range flags {
		res, err := t.exec(ctx, `INSERT INTO service_flags (record_id, kind, other_record_id, explanation_zh, explanation_en, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id, kind, other_record_id) DO NOTHING`,
			fl.record, fl.kind, fl.other, fl.why.ZH, fl.why.EN, now)
		if err != nil {
			return fmt.Errorf("sqlstore: flag service %d: %w", fl.record, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added[fl.record] = 1
		}
	}
	for id := range added {
		if _, err := t.exec(ctx, `UPDATE service_records SET flags = (SELECT COUNT(*) FROM service_flags WHERE record_id = ? AND status = 'open'),
			version = version + 1 WHERE id = ?`, id, id); err != nil {
			return fmt.Errorf("sqlstore: count flags of service %d: %w", id, err)
		}
	}
	if _, err := t.exec(ctx, `UPDATE service_records SET checked_at = ? WHERE id = ?`, now, f.id); err != nil {
		return fmt.Errorf("sqlstore: check service %d: %w", f.id, err)
	}
	return nil
}

// headName is the name of a household's head, for explanations.
func headName(ctx context.Context, t *tx, household int64) string {
	var name string
	_ = t.queryRow(ctx, `SELECT COALESCE(p.name, '') FROM households h LEFT JOIN persons p ON p.id = h.head_person_id WHERE h.id = ?`,
		household).Scan(&name)
	return name
}

// checkOverlapAndTravel compares the record with the same worker's other
// services at other households within hours of it: overlapping times are
// two places at once; otherwise the distance over the time between them
// may be too far to travel.
func (s *Store) checkOverlapAndTravel(ctx context.Context, t *tx, f svcFacts) ([]newFlag, error) {
	window := int64(settlement.TravelWindow / time.Second)
	rows, err := t.query(ctx, `SELECT id, household_id, started_at, ended_at, lat_e6, lon_e6, review_status FROM service_records
		WHERE worker_id = ? AND started_at >= ? AND started_at <= ? AND id <> ? AND household_id <> ? AND review_status <> 'rejected'
		ORDER BY started_at, id`, f.worker, f.start-window-86400, f.end+window, f.id, f.household)
	if err != nil {
		return nil, err
	}
	type other struct {
		id, household, start, end int64
		lat, lon                  sql.NullInt64
		status                    string
	}
	var others []other
	for rows.Next() {
		var o other
		if err := rows.Scan(&o.id, &o.household, &o.start, &o.end, &o.lat, &o.lon, &o.status); err != nil {
			rows.Close()
			return nil, err
		}
		others = append(others, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []newFlag
	add := func(o other, kind string, mine, theirs settlement.Explanation) {
		out = append(out, newFlag{record: f.id, other: o.id, kind: kind, why: mine})
		if o.status == "pending" {
			out = append(out, newFlag{record: o.id, other: f.id, kind: kind, why: theirs})
		}
	}
	for _, o := range others {
		if o.start < f.end && o.end > f.start {
			mine := settlement.Explanation{
				ZH: fmt.Sprintf("同一服务人员 %s–%s 同时在另一户（户主 %s）服务", hm(o.start), hm(o.end), headName(ctx, t, o.household)),
				EN: fmt.Sprintf("the same worker was at another household (head %s) from %s to %s", headName(ctx, t, o.household), hm(o.start), hm(o.end))}
			theirs := settlement.Explanation{
				ZH: fmt.Sprintf("同一服务人员 %s–%s 同时在另一户（户主 %s）服务", hm(f.start), hm(f.end), headName(ctx, t, f.household)),
				EN: fmt.Sprintf("the same worker was at another household (head %s) from %s to %s", headName(ctx, t, f.household), hm(f.start), hm(f.end))}
			add(o, settlement.FlagOverlap, mine, theirs)
			continue
		}
		if !f.lat.Valid || !f.lon.Valid || !o.lat.Valid || !o.lon.Valid {
			continue
		}
		endA, startB := o.end, f.start
		if o.start > f.start {
			endA, startB = f.end, o.start
		}
		if startB-endA > window {
			continue
		}
		metres := settlement.DistanceMetres(f.lat.Int64, f.lon.Int64, o.lat.Int64, o.lon.Int64)
		if bad, why := settlement.Travel(metres, endA, startB); bad {
			add(o, settlement.FlagTravel, why, why)
		}
	}
	return out, nil
}

// checkPhotos finds the record's photos in other records.
func (s *Store) checkPhotos(ctx context.Context, t *tx, f svcFacts) ([]newFlag, error) {
	rows, err := t.query(ctx, `SELECT DISTINCT o.record_id, r.started_at, r.review_status FROM service_evidence e
		JOIN service_evidence o ON o.sha256 = e.sha256 AND o.record_id <> e.record_id
		JOIN service_records r ON r.id = o.record_id
		WHERE e.record_id = ? AND e.kind = 'photo' AND o.kind = 'photo' ORDER BY o.record_id`, f.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []newFlag
	for rows.Next() {
		var other, at int64
		var status string
		if err := rows.Scan(&other, &at, &status); err != nil {
			return nil, err
		}
		day := settlement.Day(at)
		out = append(out, newFlag{record: f.id, other: other, kind: settlement.FlagPhotoReused, why: settlement.Explanation{
			ZH: fmt.Sprintf("照片与 %s 的另一条服务记录（编号 %d）完全相同", day, other),
			EN: fmt.Sprintf("a photo is identical to the one of another service record (no. %d) on %s", other, day)}})
		if status == "pending" {
			out = append(out, newFlag{record: other, other: f.id, kind: settlement.FlagPhotoReused, why: settlement.Explanation{
				ZH: fmt.Sprintf("照片与 %s 的另一条服务记录（编号 %d）完全相同", settlement.Day(f.start), f.id),
				EN: fmt.Sprintf("a photo is identical to the one of another service record (no. %d) on %s", f.id, settlement.Day(f.start))}})
		}
	}
	return out, rows.Err()
}

// checkRecipient reads the register: a person served who had died or
// moved away (persons.status with its date) or had left the household
// (memberships), or a household everyone had left, before the service's day.
func (s *Store) checkRecipient(ctx context.Context, t *tx, f svcFacts) ([]newFlag, error) {
	day := settlement.Day(f.start)
	flag := func(zh, en string) []newFlag {
		return []newFlag{{record: f.id, kind: settlement.FlagRecipientGone, why: settlement.Explanation{ZH: zh, EN: en}}}
	}
	what := func(reason string) (string, string) {
		switch reason {
		case "deceased":
			return "去世", "died"
		case "moved_away":
			return "迁出本地", "moved away"
		}
		return "迁出该户", "left the household"
	}
	if f.person != 0 {
		var name, status, date string
		err := t.queryRow(ctx, `SELECT name, status, status_date FROM persons WHERE id = ?`, f.person).Scan(&name, &status, &date)
		if err != nil && !isNoRows(err) {
			return nil, err
		}
		if (status == "deceased" || status == "moved_away") && date != "" && date <= day {
			zh, en := what(status)
			return flag(fmt.Sprintf("服务对象 %s 已于 %s %s，服务日期为 %s", name, date, zh, day),
				fmt.Sprintf("the recipient %s %s on %s; the service is dated %s", name, en, date, day)), nil
		}
		var ended, open int
		var last, reason string
		if err := t.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN end_date = '' OR end_date > ? THEN 1 ELSE 0 END), 0),
			COALESCE(MAX(end_date), '') FROM memberships WHERE person_id = ? AND household_id = ?`, day, f.person, f.household).Scan(&ended, &open, &last); err != nil {
			return nil, err
		}
		if ended > 0 && open == 0 && last != "" {
			_ = t.queryRow(ctx, `SELECT end_reason FROM memberships WHERE person_id = ? AND household_id = ? AND end_date = ?`, f.person, f.household, last).Scan(&reason)
			zh, en := what(reason)
			return flag(fmt.Sprintf("服务对象 %s 已于 %s %s，服务日期为 %s", name, last, zh, day),
				fmt.Sprintf("the recipient %s %s on %s; the service is dated %s", name, en, last, day)), nil
		}
		return nil, nil
	}
	var all, open int
	var last string
	if err := t.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN end_date = '' OR end_date > ? THEN 1 ELSE 0 END), 0),
		COALESCE(MAX(end_date), '') FROM memberships WHERE household_id = ?`, day, f.household).Scan(&all, &open, &last); err != nil {
		return nil, err
	}
	if all == 0 || open > 0 || last == "" {
		return nil, nil
	}
	var name, reason string
	_ = t.queryRow(ctx, `SELECT p.name, m.end_reason FROM memberships m JOIN persons p ON p.id = m.person_id
		WHERE m.household_id = ? AND m.end_date = ? ORDER BY m.id DESC LIMIT 1`, f.household, last).Scan(&name, &reason)
	zh, en := what(reason)
	return flag(fmt.Sprintf("该户已无在册成员：%s 已于 %s %s，服务日期为 %s", name, last, zh, day),
		fmt.Sprintf("nobody lived in the household any more: %s %s on %s; the service is dated %s", name, en, last, day)), nil
}

// checkPlan counts the plan's services in the period that holds the
// record: more than the plan allows, or a service outside the plan's
// dates, is flagged on the record.
func (s *Store) checkPlan(ctx context.Context, t *tx, f svcFacts) ([]newFlag, error) {
	if f.plan == 0 {
		return nil, nil
	}
	var freq, starts, ends string
	err := t.queryRow(ctx, `SELECT frequency, starts_on, ends_on FROM service_plans WHERE id = ?`, f.plan).Scan(&freq, &starts, &ends)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	day := settlement.Day(f.start)
	if (starts != "" && day < starts) || (ends != "" && day > ends) {
		return []newFlag{{record: f.id, kind: settlement.FlagOverPlan, why: settlement.Explanation{
			ZH: fmt.Sprintf("服务日期 %s 不在计划期 %s 至 %s 内", day, starts, ends),
			EN: fmt.Sprintf("the service on %s is outside the plan's dates %s to %s", day, starts, ends)}}}, nil
	}
	ps, _ := time.ParseInLocation("2006-01-02", starts, settlement.Zone)
	d, _ := time.ParseInLocation("2006-01-02", day, settlement.Zone)
	from, to, allowed := settlement.PlanPeriod(freq, ps, d)
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM service_records WHERE plan_id = ? AND started_at >= ? AND started_at < ?
		AND review_status <> 'rejected' AND (started_at < ? OR (started_at = ? AND id <= ?))`,
		f.plan, from.Unix(), to.Unix(), f.start, f.start, f.id).Scan(&n); err != nil {
		return nil, err
	}
	// n counts the record and those before it in the period: the first
	// `allowed` are the plan's, later ones are more than it allows.
	if n <= allowed {
		return nil, nil
	}
	return []newFlag{{record: f.id, kind: settlement.FlagOverPlan, why: settlement.OverPlan(n, allowed, from, to)}}, nil
}

// CheckServiceRecords runs the automatic checks on up to limit records
// that arrived without them (the sweep of the jobs loop) and returns how
// many it checked. Records of a closed month are marked checked without
// new flags: nothing changes in a closed month.
func (s *Store) CheckServiceRecords(ctx context.Context, limit int) (int, error) {
	if limit <= 0 {
		limit = 200
	}
	var ids []int64
	err := s.read(ctx, func(t *tx) error {
		var err error
		ids, err = queryIDs(ctx, t, fmt.Sprintf(`SELECT id FROM service_records WHERE checked_at = 0 ORDER BY id LIMIT %d`, limit))
		return err
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	// One transaction per record: each takes its month's lock (see
	// settlementMonthClosed) before changing anything, as a recording or
	// a review does, and holds no other month's.
	n := 0
	for _, id := range ids {
		checked := false
		err := s.write(ctx, func(t *tx) error {
			checked = false
			var at, org int64
			var month string
			if err := t.queryRow(ctx, `SELECT checked_at, org_id, month FROM service_records WHERE id = ?`, id).Scan(&at, &org, &month); err != nil {
				return err
			}
			if at != 0 {
				return nil // checked meanwhile
			}
			closed, err := s.settlementMonthClosed(ctx, t, org, month)
			if err != nil {
				return err
			}
			if closed {
				_, err := t.exec(ctx, `UPDATE service_records SET checked_at = ? WHERE id = ?`, ms(s.now()), id)
				return err
			}
			checked = true
			return s.checkServiceRecord(ctx, t, id)
		})
		if err != nil {
			return n, fmt.Errorf("sqlstore: service checks: %w", err)
		}
		if checked {
			n++
		}
	}
	return n, nil
}
